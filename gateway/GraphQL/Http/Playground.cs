using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace MachCommerce.GraphQL.Http;

/// <summary>
/// The GraphiQL page a browser gets at the endpoint, talking to the same endpoint. Its scripts and styles are
/// embedded in this assembly (see the project file) and served below the endpoint at <c>graphiql/</c>: nothing
/// is loaded from the internet, so it works offline and in closed networks.
/// </summary>
public static class Playground
{
    public const string AssetFolder = "graphiql";

    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Assets = LoadAssets();

    /// <summary>Serves the page's assets at <c>{pattern}/graphiql/{file}</c>, cached by browsers (they change only with this assembly).</summary>
    public static IEndpointConventionBuilder MapGraphiQLAssets(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapGet($"{pattern.TrimEnd('/')}/{AssetFolder}/{{file}}", (string file, HttpContext http) =>
        {
            if (!Assets.TryGetValue(file, out var asset))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Bytes(asset.Content, asset.ContentType);
        });

    /// <param name="endpoint">The endpoint's path, e.g. <c>/graphql</c>.</param>
    /// <param name="headersHint">What the headers tab shows at first, e.g. where to put the key.</param>
    public static string Page(string endpoint, string? headersHint = null)
    {
        var assets = WebUtility.HtmlEncode(endpoint.TrimEnd('/') + "/" + AssetFolder + "/");
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>MACH Commerce GraphQL</title>
              <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
              <link rel="stylesheet" href="{{assets}}graphiql.min.css">
            </head>
            <body>
              <div id="graphiql">Loading GraphiQL…</div>
              <script src="{{assets}}react.production.min.js"></script>
              <script src="{{assets}}react-dom.production.min.js"></script>
              <script src="{{assets}}graphiql.min.js"></script>
              <script>
                const fetcher = GraphiQL.createFetcher({ url: {{JsonSerializer.Serialize(endpoint)}} });
                ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, {
                  fetcher, shouldPersistHeaders: true, defaultHeaders: {{JsonSerializer.Serialize(headersHint ?? "")}},
                  isHeadersEditorEnabled: true, defaultEditorToolsVisibility: {{(headersHint is null ? "false" : "'headers'")}},
                }));
              </script>
            </body>
            </html>
            """;
    }

    private static Dictionary<string, (byte[], string)> LoadAssets()
    {
        var assembly = typeof(Playground).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(AssetFolder + "/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name[(AssetFolder.Length + 1)..];
            assets[file] = (copy.ToArray(), file.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
        }

        return assets;
    }
}
