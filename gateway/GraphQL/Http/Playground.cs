using System.Net;

namespace MachCommerce.GraphQL.Http;

/// <summary>The GraphiQL page a browser gets at the endpoint in development; it talks to the same endpoint.</summary>
internal static class Playground
{
    private const string Version = "3.8.3";

    public static string Page(string endpoint) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>MACH Commerce GraphQL</title>
          <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
          <link rel="stylesheet" href="https://unpkg.com/graphiql@{{Version}}/graphiql.min.css">
        </head>
        <body>
          <div id="graphiql">Loading GraphiQL…</div>
          <script crossorigin src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
          <script crossorigin src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
          <script crossorigin src="https://unpkg.com/graphiql@{{Version}}/graphiql.min.js"></script>
          <script>
            const fetcher = GraphiQL.createFetcher({ url: {{System.Text.Json.JsonSerializer.Serialize(WebUtility.HtmlEncode(endpoint))}} });
            ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, { fetcher }));
          </script>
        </body>
        </html>
        """;
}
