using MachCommerce.Benchmarks.Catalog;
using MachCommerce.Benchmarks.MerchantConsole;
using MachCommerce.Benchmarks.Cooperative;
using MachCommerce.Benchmarks.Experiments;
using MachCommerce.Benchmarks.Gateway;
using MachCommerce.Benchmarks.GraphQL;
using MachCommerce.Benchmarks.Identity;
using MachCommerce.Benchmarks.Messaging;
using MachCommerce.Benchmarks.Personalization;
using MachCommerce.Benchmarks.Profiles;
using MachCommerce.Benchmarks.Storefront;
using MachCommerce.Benchmarks.Webhooks;

// Each benchmark runs its variants side by side in one process and writes a Markdown table to results/.
var benchmarks = new Dictionary<string, Func<string[], Task<string>>>
{
    ["messaging"] = MessagingBenchmark.RunAsync,
    ["catalog"] = CatalogBenchmark.RunAsync,
    ["profiles"] = ProfilesBenchmark.RunAsync,
    ["personalization"] = PersonalizationBenchmark.RunAsync,
    ["graphql"] = GraphQLBenchmark.RunAsync,
    ["gateway"] = GatewayBenchmark.RunAsync,
    ["experiments"] = ExperimentsBenchmark.RunAsync,
    ["identity"] = IdentityBenchmark.RunAsync,
    ["webhooks"] = WebhooksBenchmark.RunAsync,
    ["storefront"] = StorefrontBenchmark.RunAsync,
    ["console"] = ConsoleBenchmark.RunAsync,
    ["cooperative"] = CentralAssortmentBenchmark.RunAsync,
    ["campaigns"] = CentralCampaignBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project tests/Benchmarks -- <{string.Join('|', benchmarks.Keys)}> [options]");
    return 2;
}

var report = await benchmark(args[1..]);
var resultsFolder = Path.Combine(MachCommerce.LocalInfrastructure.RepositoryPaths.FindRoot(), "tests", "Benchmarks", "results");
Directory.CreateDirectory(resultsFolder);
var file = Path.Combine(resultsFolder, $"{args[0]}.md");
await File.WriteAllTextAsync(file, report);
Console.WriteLine(report);
Console.WriteLine($"written to {file}");
return 0;
