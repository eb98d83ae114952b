using System.Security.Cryptography;
using MachCommerce.Launcher.Processes;
using MachCommerce.Launcher.Seeding;
using Spectre.Console;

namespace MachCommerce.Launcher;

/// <summary>Brings the platform up in order, keeps it running until told to stop, and takes it down in reverse.</summary>
internal sealed class Launcher(LauncherOptions options)
{
    private readonly string _root = RepositoryPaths.FindRoot();
    private string DataDirectory => Path.Combine(_root, ".data", "local");
    private string RunDirectory => Path.Combine(DataDirectory, "run");

    public async Task<int> RunAsync(CancellationToken stop)
    {
        ServiceProcess.StopLeftovers(RunDirectory);
        if (options.Reset && Directory.Exists(DataDirectory))
        {
            await LocalServers.StopLeftoversAsync(DataDirectory);
            Directory.Delete(DataDirectory, recursive: true);
            LogPrinter.Info($"deleted {DataDirectory}");
        }

        LocalServers? servers = null;
        var processes = new List<ServiceProcess>();
        try
        {
            servers = await Step("starting PostgreSQL and RabbitMQ", () =>
                LocalServers.StartAsync(DataDirectory, durable: true, postgresPort: 55432, rabbitMqPort: 55672, cancellationToken: stop));
            var identityKeys = new Dictionary<string, IdentityKeys.KeyPair>();
            foreach (var signer in IdentityTrust.Signers)
            {
                var privateKey = await SecretAsync($"identity-{signer}.key", () => IdentityKeys.NewKeyPair().PrivateKey);
                identityKeys[signer] = new IdentityKeys.KeyPair(privateKey, IdentityKeys.PublicKeyOf(privateKey));
                // The public half beside it, for running one service alone (README).
                await File.WriteAllTextAsync(Path.Combine(DataDirectory, $"identity-{signer}.pub"), identityKeys[signer].PublicKey, stop);
            }

            // The shared HMAC secret that signed assertions before they became ES256 JWTs: no longer read, and a secret
            // nobody uses is one more to leak.
            File.Delete(Path.Combine(DataDirectory, "identity-signing-key"));

            var platformKey = await SecretAsync("gateway-platform-key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            var tokenKeys = new TokenServerKeys(
                await SecretAsync("identity-server-signing.key", () => IdentityKeys.NewKeyPair().PrivateKey),
                await SecretAsync("identity-server-encryption.key", () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

            var deployables = Deployable.All.Where(d => File.Exists(Path.Combine(_root, d.Project))).ToList();
            foreach (var missing in Deployable.All.Except(deployables))
            {
                LogPrinter.Info($"{missing.Name}: not part of this checkout yet ({missing.Project}), skipped");
            }

            var urls = deployables.ToDictionary(d => d.Name, d => new Uri($"http://127.0.0.1:{FreePort.Pick(d.PreferredPort)}"));
            var databases = new Dictionary<string, string>();
            foreach (var deployable in deployables)
            {
                var assembly = await Step($"building {deployable.Name} (the first build takes a minute)",
                    () => DeployableBuild.RunAsync(Path.Combine(_root, deployable.Project), options.Configuration, stop));
                var environment = await EnvironmentFor(deployable, servers, identityKeys, platformKey, tokenKeys, urls, stop);
                if (environment.TryGetValue("Postgres__ConnectionString", out var database))
                {
                    databases[deployable.Name] = database;
                }

                processes.Add(ServiceProcess.Start(deployable.Name, assembly, urls[deployable.Name], environment, RunDirectory));
            }

            await Step("waiting until every service is ready", () => Task.WhenAll(processes.Select(p => WaitUntilReadyAsync(p, stop))));

            if (options.Seed)
            {
                using var context = new SeedContext(urls, databases, SeedContext.Signer(identityKeys), platformKey, DataDirectory);
                var ran = await new Seeder(Path.Combine(DataDirectory, "seeded.json")).RunAsync(context, urls.Keys.ToHashSet(), LogPrinter.Info, stop);
                LogPrinter.Info(ran.Count > 0 ? $"demo data loaded: {string.Join(", ", ran)}" : "demo data: nothing new to load");
            }

            // The storefront runs as the first demo shop's, with its storefront key (made by the seed).
            if (StorefrontProcess.IsPartOf(_root) && urls.TryGetValue("gateway", out var gateway) && GatewaySeedStep.ReadKeys(DataDirectory) is [var shop, ..])
            {
                var storefront = await Step("building and starting the storefront (npm; the first build takes a few minutes)",
                    () => StorefrontProcess.StartAsync(_root, gateway, shop, RunDirectory, stop));
                processes.Add(storefront);
                await WaitUntilReadyAsync(storefront, stop); // its readiness includes reaching the gateway
            }

            PrintSummary(servers, processes);
            await WaitForStopOrCrash(processes, stop);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception exception) when (exception is InfrastructureException or LaunchException)
        {
            AnsiConsole.MarkupLine($"[red]mach-commerce cannot start:[/] {Markup.Escape(exception.Message)}");
            return 1;
        }
        finally
        {
            LogPrinter.Info("stopping");
            // The gateway and the storefront first (no new requests), then the services, then the broker and the database.
            foreach (var group in processes.GroupBy(p => p.Name is "gateway" or "storefront").OrderByDescending(g => g.Key))
            {
                await Task.WhenAll(group.Select(p => p.DisposeAsync().AsTask()));
            }

            if (servers is not null)
            {
                await servers.StopAsync();
            }

            LogPrinter.Info("stopped; nothing of ours is left running");
        }
    }

    private static async Task<T> Step<T>(string what, Func<Task<T>> action)
    {
        T result = default!;
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            await AnsiConsole.Status().Spinner(Spinner.Known.Dots).StartAsync(what, async _ => result = await action());
        }
        else
        {
            LogPrinter.Info(what + " ...");
            result = await action();
        }

        LogPrinter.Info($"{what}: done");
        return result;
    }

    private static Task Step(string what, Func<Task> action) => Step(what, async () =>
    {
        await action();
        return true;
    });

    /// <summary>
    /// A secret generated once per data folder (each signer's identity key, the gateway's platform key); readable
    /// by this user only, and it never leaves the machine.
    /// </summary>
    private async Task<string> SecretAsync(string name, Func<string> generate)
    {
        var file = Path.Combine(DataDirectory, name);
        if (!File.Exists(file))
        {
            await File.WriteAllTextAsync(file, generate());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return (await File.ReadAllTextAsync(file)).Trim();
    }

    private static async Task<Dictionary<string, string>> EnvironmentFor(Deployable deployable, LocalServers servers,
        IReadOnlyDictionary<string, IdentityKeys.KeyPair> identityKeys, string platformKey, TokenServerKeys tokenKeys,
        IReadOnlyDictionary<string, Uri> urls, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = urls[deployable.Name].ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["RabbitMq__Uri"] = servers.RabbitMq.Uri.ToString(),
        };
        foreach (var (key, value) in IdentityTrust.Settings(deployable.Name, identityKeys))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        if (deployable.IsGateway)
        {
            // The gateway's clusters get one destination each here; on Kubernetes a cluster lists the service's DNS name.
            foreach (var (name, url) in urls.Where(u => u.Key != deployable.Name))
            {
                environment[$"ReverseProxy__Clusters__{name}__Destinations__primary__Address"] = url.ToString();
            }

            environment["Gateway__PlatformKey"] = platformKey;
            environment["Gateway__TokenIssuer"] = TokenIssuer(urls);
        }

        // The identity service issues partners' access tokens as the platform's public address: the gateway's.
        if (deployable.Name == "identity")
        {
            environment["IdentityServer__Issuer"] = TokenIssuer(urls);
            environment["IdentityServer__SigningKeys"] = tokenKeys.SigningKey;
            environment["IdentityServer__EncryptionKey"] = tokenKeys.EncryptionKey;
            // The merchant console signs staff in, calling back at its own address.
            if (urls.TryGetValue("console", out var console))
            {
                environment["IdentityServer__FrontEnds__mach-console__DisplayName"] = "MACH Commerce console";
                environment["IdentityServer__FrontEnds__mach-console__RedirectUris__0"] = new Uri(console, "signin-oidc").ToString();
                environment["IdentityServer__FrontEnds__mach-console__RedirectUris__1"] = $"http://localhost:{console.Port}/signin-oidc";
            }

            // Each demo shop's storefront signs its shoppers in with customer accounts: a front end on the usual local
            // port calls back at /auth/callback (the same origins the demo storefront keys are bound to).
            foreach (var shop in DemoCooperative.Shops)
            {
                var client = $"IdentityServer__FrontEnds__storefront-{shop.TenantId}__";
                environment[client + "DisplayName"] = shop.Name;
                environment[client + "Shop"] = shop.TenantId;
                environment[client + "RedirectUris__0"] = "http://localhost:3000/auth/callback";
                environment[client + "RedirectUris__1"] = "http://127.0.0.1:3000/auth/callback";
            }
        }

        // The console reaches the platform (and sends its users' browsers) at the gateway, like any front end.
        if (deployable.Name == "console")
        {
            environment["Console__Platform"] = urls["gateway"].ToString();
        }

        // On one machine a partner's receiver is often on it too (a local test server): allowed here, never on Kubernetes.
        if (deployable.Name == "webhooks")
        {
            environment["Webhooks__AllowLoopbackTargets"] = "true";
            environment["Webhooks__AllowHttpTargets"] = "true";
        }

        if (deployable.Database is { } database)
        {
            environment["Postgres__ConnectionString"] = await servers.Postgres.EnsureDatabaseAsync(database, cancellationToken);
        }

        foreach (var (name, url) in urls)
        {
            environment[$"Services__{name}__Url"] = url.ToString();
        }

        // Personalization holds personal data too: the profiles service gathers its part of every GDPR export.
        if (deployable.Name == "profiles" && urls.TryGetValue("personalization", out var personalization))
        {
            environment["Gdpr__DataHolders__personalization__Url"] = personalization.ToString();
        }

        return environment;
    }

    private static string TokenIssuer(IReadOnlyDictionary<string, Uri> urls) => new Uri(urls["gateway"], "/").ToString();

    /// <summary>The identity service's own keys: one signs access tokens (published as JWKS), one encrypts what it keeps for itself.</summary>
    private sealed record TokenServerKeys(string SigningKey, string EncryptionKey);

    private static async Task WaitUntilReadyAsync(ServiceProcess process, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new LaunchException($"{process.Name} exited with code {process.ExitCode} before it was ready (its log is above).");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(process.Url, "/health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode && BusIsUp(await response.Content.ReadAsStringAsync(cancellationToken)))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // slow answer; ask again
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new LaunchException($"{process.Name} was not ready at {process.Url}health/ready within two minutes.");
    }

    /// <summary>
    /// Ready for the seed too: the service's consumers are bound to their exchanges, so no event the seed causes
    /// is routed nowhere. (Readiness itself only degrades while the bus connects: writes are safe in the outbox.)
    /// </summary>
    private static bool BusIsUp(string report)
    {
        using var json = System.Text.Json.JsonDocument.Parse(report);
        return !json.RootElement.TryGetProperty("checks", out var checks)
            || !checks.TryGetProperty("masstransit", out var bus)
            || bus.GetProperty("status").GetString() == "Healthy";
    }

    private static async Task WaitForStopOrCrash(List<ServiceProcess> processes, CancellationToken stop)
    {
        var reported = new HashSet<string>();
        while (!stop.IsCancellationRequested)
        {
            foreach (var crashed in processes.Where(p => p.HasExited && reported.Add(p.Name)))
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(crashed.Name)} exited with code {crashed.ExitCode}[/]; the others keep running. Restart the launcher to bring it back.");
            }

            await Task.Delay(500, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void PrintSummary(LocalServers servers, List<ServiceProcess> processes)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("what", "where");
        if (processes.FirstOrDefault(p => p.Name == "gateway") is { } gateway)
        {
            table.AddRow("GraphQL (storefront)", $"{gateway.Url}graphql");
            table.AddRow("REST (B2B partners, apps)", $"{gateway.Url}api/catalog/products, {gateway.Url}api/profiles/..., {gateway.Url}api/personalization/...");
            table.AddRow("REST docs (all services)", $"{gateway.Url}swagger");
            table.AddRow("OAuth 2.0 (partner clients)", $"{gateway.Url}connect/token (discovery: {gateway.Url}.well-known/openid-configuration)");
            if (GatewaySeedStep.ReadKeys(DataDirectory) is [_, ..])
            {
                table.AddRow("demo keys", $"below; all of them in {Markup.Escape(GatewaySeedStep.KeysFile(DataDirectory))}");
            }
        }

        if (processes.FirstOrDefault(p => p.Name == "storefront") is { } storefront && GatewaySeedStep.ReadKeys(DataDirectory) is [var shop, ..])
        {
            table.AddRow("storefront (Next.js starter)", $"{storefront.Url}  ({Markup.Escape(shop.TenantId)}; customers register there)");
        }

        if (processes.FirstOrDefault(p => p.Name == "console") is { } console)
        {
            table.AddRow("merchant console", $"{console.Url}  (sign in as a demo staff member, below)");
        }

        foreach (var process in processes.Where(p => p.Name is not ("gateway" or "console" or "storefront")))
        {
            table.AddRow(Markup.Escape(process.Name), $"{process.Url}  (ready: {process.Url}health/ready, OpenAPI: {process.Url}openapi/v1.json)");
        }

        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(servers.Postgres.ConnectionString);
        table.AddRow("PostgreSQL", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"psql -h 127.0.0.1 -p {postgres.Port} -U {postgres.Username} (password in .data/local/postgres/superuser-password)")));
        table.AddRow("RabbitMQ", Markup.Escape($"amqp://127.0.0.1:{servers.RabbitMq.Port}/ (user mach, password in .data/local/rabbitmq/password)"));
        if (processes.Count == 0)
        {
            table.AddRow("services", "none in this checkout yet: only PostgreSQL and RabbitMQ run");
        }

        AnsiConsole.Write(table);

        // Keys and credentials on lines of their own, written past Spectre (which wraps at the terminal's width), so
        // a key is never broken in the middle and each line can be copied as it is.
        if (GatewaySeedStep.ReadKeys(DataDirectory) is [var demo, ..] shops)
        {
            Console.WriteLine($"storefront key of {demo.TenantId}: {demo.StorefrontKey}");
            Console.WriteLine($"admin key of {demo.TenantId}:      {demo.AdminKey}");
            if (processes.FirstOrDefault(p => p.Name == "gateway") is { } registry)
            {
                Console.WriteLine($"cooperative {DemoCooperative.Name} with {string.Join(", ", shops.Select(s => s.TenantId))}: " +
                    $"{registry.Url}api/admin/cooperatives/{DemoCooperative.Id} (platform key in .data/local/gateway-platform-key)");
                Console.WriteLine($"  its central assortment ({CentralAssortmentSeedStep.SkuPrefix}-… products): " +
                    string.Join(", ", CentralAssortmentSeedStep.Subscriptions.Select(s => $"{s.Key} takes \"{s.Value}\"")) +
                    $"; a member's view: GET {registry.Url}api/catalog/central with its admin key");
                if (CooperativeKeySeedStep.ReadKey(DataDirectory) is { } jointKey)
                {
                    Console.WriteLine($"  its own storefront key (joint search over all members, the central assortment): {jointKey}");
                }

                Console.WriteLine($"  its central campaign \"{CentralCampaignSeedStep.CampaignName}\" ({CentralCampaignSeedStep.Placement}), taken by all three shops and measured in each: " +
                    $"GET {registry.Url}api/personalization/central/campaigns with an admin key; the pooled uplift under …/{{id}}/results");
            }
        }

        if (IdentitySeedStep.ReadClients(DataDirectory) is [var client, ..] && processes.FirstOrDefault(p => p.Name == "gateway") is { } tokenGateway)
        {
            Console.WriteLine($"partner client of {client.TenantId} (OAuth client credentials; every shop's in {IdentitySeedStep.ClientsFile(DataDirectory)}), a token:");
            Console.WriteLine($"  curl -u {client.ClientId}:{client.ClientSecret} -d grant_type=client_credentials {tokenGateway.Url}connect/token");
        }

        if (StaffSeedStep.ReadStaff(DataDirectory) is { Members: [_, ..] } staff && processes.FirstOrDefault(p => p.Name == "gateway") is { } signIn)
        {
            var staffShops = staff.Members.Select(m => m.Place).Where(p => p != StaffSeedStep.PlatformPlace).Distinct();
            Console.WriteLine($"demo staff, password {staff.Password}, sign in at {signIn.Url}account/login (all in {StaffSeedStep.StaffFile(DataDirectory)}):");
            Console.WriteLine($"  {{{string.Join(",", StaffSeedStep.Roles)}}}@{{{string.Join(",", staffShops)}}}.example"
                + $" (those of {DemoCooperative.Id} act in every member shop, naming it in the X-Tenant header),"
                + $" and {StaffSeedStep.Email("operator", StaffSeedStep.PlatformPlace)} operates the platform");
        }

        if (processes.FirstOrDefault(p => p.Name == "identity") is not null && processes.FirstOrDefault(p => p.Name == "gateway") is { } shopper)
        {
            Console.WriteLine($"shoppers' customer accounts: a storefront on http://localhost:3000 signs them in with client_id storefront-{{shop}} (authorization code + PKCE at "
                + $"{shopper.Url}connect/authorize, redirect http://localhost:3000/auth/callback) and sends the access token as X-Customer-Token");
        }

        LogPrinter.Info("running; press Ctrl-C to stop everything");
    }
}

internal sealed class LaunchException(string message) : Exception(message);
