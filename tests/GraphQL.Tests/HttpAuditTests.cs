using MachCommerce.GraphQL.Http;
using MachCommerce.GraphQL.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace MachCommerce.GraphQL.Tests;

/// <summary>graphql-http's audit suite (npm graphql-http 1.23.1, serverAudits) against our endpoint on loopback.</summary>
public sealed class HttpAuditTests
{
    [Fact]
    public async Task Every_audit_of_graphql_http_passes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        var schema = SdlSchemaBuilder.Build("type Query { hello: String } type Mutation { noop: Int }");
        app.MapGraphQL("/graphql", new GraphQLHttpOptions(schema));
        await app.StartAsync();

        var results = await ReferenceImplementation.AuditAsync(new Uri(app.Urls.First() + "/graphql"));

        var failing = results.Where(r => r.Status != "ok").Select(r => $"{r.Id} {r.Name}: {r.Status} {r.Reason}").ToList();
        Assert.Equal(61, results.Count); // every audit of graphql-http 1.23.1
        Assert.DoesNotContain(results, r => r.Name.StartsWith("MUST", StringComparison.Ordinal) && r.Status != "ok");
        Assert.True(failing.Count == 0, $"{failing.Count} of {results.Count} audits not ok:{Environment.NewLine}{string.Join(Environment.NewLine, failing)}");
    }
}
