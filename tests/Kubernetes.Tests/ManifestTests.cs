using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MachCommerce.Hosting.Health;
using MachCommerce.Hosting.Identity;

namespace MachCommerce.Kubernetes.Tests;

/// <summary>
/// Every overlay rendered by <c>kubectl kustomize</c> and checked: valid against Kubernetes' schemas (and the
/// operators' for their resources), probes on the paths and port the services really serve, images built by the
/// repository's Dockerfiles, nothing running as root, autoscaling and disruption budgets in prod, secrets only
/// referenced, and network policies that allow exactly the design's arrows.
/// </summary>
public sealed partial class ManifestTests
{
    /// <summary>The deployables and their projects (each image is the one Dockerfile with PROJECT set to it).</summary>
    private static readonly Dictionary<string, string> Deployables = new()
    {
        ["catalog"] = "services/catalog/MachCommerce.Catalog.csproj",
        ["profiles"] = "services/profiles/MachCommerce.Profiles.csproj",
        ["personalization"] = "services/personalization/MachCommerce.Personalization.csproj",
        ["identity"] = "services/identity/MachCommerce.Identity.csproj",
        ["webhooks"] = "services/webhooks/MachCommerce.Webhooks.csproj",
        ["gateway"] = "gateway/Gateway/MachCommerce.Gateway.csproj",
        ["console"] = "frontends/console/MachCommerce.MerchantConsole.csproj",
        ["storefront"] = "frontends/storefront/Dockerfile",
    };

    /// <summary>The Node.js front ends: each image is built by the Dockerfile in its own folder.</summary>
    private static readonly HashSet<string> NodeFrontEnds = ["storefront"];

    /// <summary>The deployables behind the gateway and the gateway itself: each with its database and the identity settings; the front ends have neither.</summary>
    private static IEnumerable<string> Platform => Deployables.Keys.Where(d => d is not ("console" or "storefront"));

    /// <summary>The port the deployable's image listens on (the repository's Dockerfile, or a Node front end's own).</summary>
    private static int ImagePort(string deployable) =>
        NodeFrontEnds.Contains(deployable) ? NodeDockerfile.Read(Deployables[deployable]).Port : Dockerfile.Read().Port;

    public static TheoryData<string> Overlays => [.. RenderedOverlay.Names];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_object_is_valid_against_the_schemas(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        Assert.True(overlay.Problems.Count == 0, string.Join(Environment.NewLine, overlay.Problems.Select(p => p.ToString())));
        Assert.Equal(Deployables.Keys.Order(), overlay.Deployments.Select(d => d.Name()).Order());
        foreach (var kind in new[] { "Service", "ConfigMap", "NetworkPolicy", "Ingress", "Cluster", "RabbitmqCluster", "ScheduledBackup", "Database" })
        {
            Assert.NotEmpty(overlay.OfKind(kind));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Probes_ask_the_health_endpoints_on_the_port_the_image_listens_on(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        foreach (var deployment in overlay.Deployments)
        {
            var container = Assert.Single(deployment.Containers());
            var imagePort = ImagePort(deployment.Name());
            var ports = container.At("ports").Items().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("containerPort").GetInt32());
            foreach (var (probe, path) in new[] { ("startupProbe", HealthEndpoints.LivePath), ("livenessProbe", HealthEndpoints.LivePath), ("readinessProbe", HealthEndpoints.ReadyPath) })
            {
                var get = container.At(probe, "httpGet") ?? throw new Xunit.Sdk.XunitException($"{deployment.Name()} has no {probe}");
                Assert.Equal(path, get.GetProperty("path").GetString());
                var port = get.GetProperty("port");
                var number = port.ValueKind == JsonValueKind.String ? ports[port.GetString()!] : port.GetInt32();
                Assert.True(number == imagePort, $"{deployment.Name()} {probe} asks port {number}; the image listens on {imagePort}");
            }

            // The Service leads to the same port.
            var service = overlay.Named("Service", deployment.Name());
            var target = service.At("spec", "ports").Items().Single().GetProperty("targetPort");
            Assert.Equal(imagePort, target.ValueKind == JsonValueKind.String ? ports[target.GetString()!] : target.GetInt32());
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_image_is_built_by_a_Dockerfile_of_the_repository(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        foreach (var deployment in overlay.Deployments)
        {
            var image = Assert.Single(deployment.Containers()).GetProperty("image").GetString()!;
            var repository = image.Split(':')[0];
            Assert.EndsWith("mach-commerce/" + deployment.Name(), repository, StringComparison.Ordinal);
            if (NodeFrontEnds.Contains(deployment.Name()))
            {
                // Its own Dockerfile: npm ci from the lock file, the build, the standalone server as an unprivileged user.
                var node = NodeDockerfile.Read(Deployables[deployment.Name()]);
                Assert.True(node.RestoresFromLockFile && node.Builds && node.RunsTheServer, $"{Deployables[deployment.Name()]} is not the npm ci, build, node server.js image the tests expect");
                Assert.All(node.Stages, stage => Assert.StartsWith("node:", stage, StringComparison.Ordinal));
                Assert.True(node.User is not null and not "root" and not "0", $"{deployment.Name()}'s image runs as {node.User ?? "root"}");
                Assert.Contains($"mach-commerce/{deployment.Name()}:1.0.0 {Path.GetDirectoryName(Deployables[deployment.Name()])}",
                    File.ReadAllText(Path.Combine(RenderedOverlay.Root, "k8s", "README.md")), StringComparison.Ordinal);
                continue;
            }

            var dockerfile = Dockerfile.Read();
            var project = Deployables[deployment.Name()];
            Assert.True(File.Exists(Path.Combine(RenderedOverlay.Root, project)), $"{project} does not exist");
            // The project's assembly is named after it, which is what the image runs.
            Assert.Equal(Path.GetFileNameWithoutExtension(project), ProjectAssembly(project));
            Assert.Equal("\"$PROJECT\"", dockerfile.PublishedProject);
            Assert.True(dockerfile.RunsTheProjectsAssembly, "the Dockerfile's entry point does not run the published project's assembly");
            Assert.Contains($"--build-arg PROJECT={project}", File.ReadAllText(Path.Combine(RenderedOverlay.Root, "k8s", "README.md")), StringComparison.Ordinal);
            Assert.Contains("/dotnet/sdk:", dockerfile.Stages[0], StringComparison.Ordinal);
            Assert.Contains("/dotnet/aspnet:", dockerfile.Stages[^1], StringComparison.Ordinal);
            Assert.True(dockerfile.User is not null and not "root" and not "0", $"{deployment.Name()}'s image runs as {dockerfile.User ?? "root"}");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task No_container_runs_as_root_or_can_gain_privileges(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        foreach (var deployment in overlay.Deployments)
        {
            var pod = deployment.At("spec", "template", "spec")!.Value;
            Assert.True(pod.At("securityContext", "runAsNonRoot")?.GetBoolean() == true, deployment.Name());
            Assert.NotEqual(0, pod.At("securityContext", "runAsUser")?.GetInt64() ?? 0);
            Assert.Equal("RuntimeDefault", pod.At("securityContext", "seccompProfile", "type")?.GetString());
            Assert.False(pod.At("automountServiceAccountToken")?.GetBoolean() ?? true, $"{deployment.Name()} mounts a service account token it does not need");
            foreach (var container in deployment.Containers().Concat(pod.At("initContainers").Items()))
            {
                var security = container.At("securityContext") ?? throw new Xunit.Sdk.XunitException($"{deployment.Name()} has no container securityContext");
                Assert.NotEqual(0, security.At("runAsUser")?.GetInt64() ?? 1);
                Assert.True(security.At("runAsNonRoot")?.GetBoolean() ?? true);
                Assert.False(security.At("allowPrivilegeEscalation")?.GetBoolean() ?? true, $"{deployment.Name()} may escalate privileges");
                Assert.True(security.At("readOnlyRootFilesystem")?.GetBoolean() == true, $"{deployment.Name()} has a writable root filesystem");
                Assert.Contains("ALL", security.At("capabilities", "drop").Items().Select(c => c.GetString()));
                Assert.False(security.At("privileged")?.GetBoolean() ?? false);
                Assert.NotNull(container.At("resources", "requests", "cpu"));
                Assert.NotNull(container.At("resources", "requests", "memory"));
                Assert.NotNull(container.At("resources", "limits", "memory"));
            }
        }
    }

    [Fact]
    public async Task Every_prod_deployment_has_an_autoscaler_and_a_disruption_budget_and_spreads_over_zones()
    {
        var prod = await RenderedOverlay.GetAsync("prod");
        foreach (var deployment in prod.Deployments)
        {
            var labels = deployment.At("spec", "template", "metadata", "labels").Labels();
            var autoscaler = Assert.Single(prod.OfKind("HorizontalPodAutoscaler"), h => h.At("spec", "scaleTargetRef", "name")?.GetString() == deployment.Name());
            Assert.Equal("Deployment", autoscaler.At("spec", "scaleTargetRef", "kind")?.GetString());
            Assert.True(autoscaler.At("spec", "minReplicas")!.Value.GetInt32() >= 2);
            Assert.True(autoscaler.At("spec", "maxReplicas")!.Value.GetInt32() > autoscaler.At("spec", "minReplicas")!.Value.GetInt32());
            Assert.True(deployment.At("spec", "replicas")!.Value.GetInt32() >= 2);
            var budget = Assert.Single(prod.OfKind("PodDisruptionBudget"), b => Matches(b.At("spec", "selector"), labels));
            Assert.True(budget.At("spec", "maxUnavailable") is not null || budget.At("spec", "minAvailable") is not null);
            var zones = deployment.At("spec", "template", "spec", "topologySpreadConstraints").Items().Select(c => c.GetProperty("topologyKey").GetString());
            Assert.Contains("topology.kubernetes.io/zone", zones);
            Assert.Equal("topology.kubernetes.io/zone",
                deployment.At("spec", "template", "spec", "affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution").Items().Single().At("podAffinityTerm", "topologyKey")?.GetString());
        }

        Assert.Equal(3, prod.Named("Cluster", "mach-postgres").At("spec", "instances")!.Value.GetInt32());
        Assert.Equal(3, prod.Named("RabbitmqCluster", "mach-rabbitmq").At("spec", "replicas")!.Value.GetInt32());
        Assert.NotEmpty(prod.OfKind("ScheduledBackup"));
    }

    [Fact]
    public async Task Dev_runs_one_of_everything_without_autoscaling()
    {
        var dev = await RenderedOverlay.GetAsync("dev");
        Assert.All(dev.Deployments, d => Assert.Equal(1, d.At("spec", "replicas")!.Value.GetInt32()));
        Assert.Empty(dev.OfKind("HorizontalPodAutoscaler"));
        Assert.Equal(1, dev.Named("Cluster", "mach-postgres").At("spec", "instances")!.Value.GetInt32());
        Assert.Equal(1, dev.Named("RabbitmqCluster", "mach-rabbitmq").At("spec", "replicas")!.Value.GetInt32());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_deployable_gets_the_identity_settings_the_launcher_gives_it_private_keys_from_its_own_secret(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        var keys = IdentityTrust.Signers.ToDictionary(signer => signer, _ => new IdentityKeys.KeyPair("private", "public"));
        foreach (var deployable in Platform)
        {
            var env = Assert.Single(overlay.Named("Deployment", deployable).Containers()).At("env").Items()
                .Where(e => e.GetProperty("name").GetString()!.StartsWith("Identity__", StringComparison.Ordinal))
                .ToDictionary(e => e.GetProperty("name").GetString()!);
            var expected = IdentityTrust.Settings(deployable, keys).ToDictionary(pair => pair.Key.Replace(":", "__", StringComparison.Ordinal), pair => pair.Value);
            Assert.Equal(expected.Keys.Order(), env.Keys.Order());
            foreach (var (variable, value) in expected)
            {
                if (value == "private")
                {
                    // Only the signer itself holds its private key.
                    Assert.Equal($"mach-identity-{deployable}", env[variable].At("valueFrom", "secretKeyRef", "name")?.GetString());
                }
                else if (value == "public")
                {
                    Assert.Equal("mach-identity-public", env[variable].At("valueFrom", "configMapKeyRef", "name")?.GetString());
                }
                else
                {
                    Assert.Equal(value, env[variable].GetProperty("value").GetString());
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_service_has_its_own_database_owner_and_the_gateway_alone_is_reachable_from_outside(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        var cluster = overlay.Named("Cluster", "mach-postgres");
        var roles = cluster.At("spec", "managed", "roles").Items().Select(r => r.GetProperty("name").GetString()).ToList();
        var databases = overlay.OfKind("Database").ToDictionary(d => d.At("spec", "name")!.Value.GetString()!, d => d.At("spec", "owner")!.Value.GetString());
        foreach (var deployable in Platform)
        {
            Assert.Contains(deployable, roles);
            Assert.Equal(deployable, databases[deployable]);
            var env = Assert.Single(overlay.Named("Deployment", deployable).Containers()).At("env").Items().ToDictionary(e => e.GetProperty("name").GetString()!);
            Assert.Contains($"Database={deployable};", env["Postgres__ConnectionString"].GetProperty("value").GetString(), StringComparison.Ordinal);
        }

        // The API's host leads to the gateway alone; the console and the storefront have hosts of their own, leading to them alone.
        foreach (var (ingressName, backend) in new[] { ("mach-commerce", "gateway"), ("mach-console", "console"), ("mach-storefront", "storefront") })
        {
            var ingress = overlay.Named("Ingress", ingressName);
            Assert.NotEmpty(ingress.At("spec", "tls").Items());
            var backends = ingress.At("spec", "rules").Items().SelectMany(r => r.At("http", "paths").Items()).Select(p => p.At("backend", "service", "name")?.GetString()).Distinct();
            Assert.Equal([backend], backends);
        }

        Assert.Equal(3, overlay.OfKind("Ingress").Count());
        Assert.All(overlay.OfKind("Service"), s => Assert.Equal("ClusterIP", s.At("spec", "type")?.GetString() ?? "ClusterIP"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_token_issuer_is_the_ingress_host_for_the_identity_service_and_the_gateway_alike(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        var host = overlay.Named("Ingress", "mach-commerce").At("spec", "rules").Items().Single().GetProperty("host").GetString();
        var issued = overlay.Named("ConfigMap", "identity-config").At("data", "IdentityServer__Issuer")?.GetString();
        var accepted = overlay.Named("ConfigMap", "gateway-config").At("data", "Gateway__TokenIssuer")?.GetString();
        Assert.Equal($"https://{host}/", issued);
        Assert.Equal(issued, accepted);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Secrets_are_referenced_by_name_and_never_part_of_the_manifests(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        Assert.Empty(overlay.OfKind("Secret"));
        var referenced = new HashSet<string>();
        foreach (var deployment in overlay.Deployments)
        {
            foreach (var variable in Assert.Single(deployment.Containers()).At("env").Items())
            {
                if (variable.At("valueFrom", "secretKeyRef", "name")?.GetString() is { } secret)
                {
                    referenced.Add(secret);
                }
                else
                {
                    // A literal value may hold configuration, never a secret.
                    var variableName = variable.GetProperty("name").GetString()!;
                    Assert.False(SecretName().IsMatch(variableName), $"{deployment.Name()} sets {variableName} literally");
                }
            }

            foreach (var source in Assert.Single(deployment.Containers()).At("envFrom").Items())
            {
                // A whole secret as variables only where it is optional settings of one concern (the identity service's mail server).
                if (source.At("secretRef", "name")?.GetString() is { } secretSource)
                {
                    Assert.True(source.At("secretRef", "optional")?.GetBoolean() == true, $"{deployment.Name()} needs the secret {secretSource} whole");
                    referenced.Add(secretSource);
                    continue;
                }

                var configMap = source.At("configMapRef", "name")?.GetString();
                Assert.NotNull(configMap);
                Assert.Contains(overlay.OfKind("ConfigMap"), c => c.Name() == configMap);
            }
        }

        var cluster = overlay.Named("Cluster", "mach-postgres");
        referenced.UnionWith(cluster.At("spec", "managed", "roles").Items().Select(r => r.At("passwordSecret", "name")!.Value.GetString()!));
        referenced.Add(cluster.At("spec", "backup", "barmanObjectStore", "s3Credentials", "accessKeyId", "name")!.Value.GetString()!);
        referenced.UnionWith(overlay.OfKind("Ingress").SelectMany(i => i.At("spec", "tls").Items()).Select(t => t.GetProperty("secretName").GetString()!));
        var guide = await File.ReadAllTextAsync(Path.Combine(RenderedOverlay.Root, "k8s", "README.md"));
        foreach (var secret in referenced)
        {
            Assert.True(guide.Contains($"`{secret}`", StringComparison.Ordinal), $"k8s/README.md does not say how the secret {secret} comes to exist");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Network_policies_allow_exactly_the_designs_arrows(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        var components = overlay.Deployments.ToDictionary(d => d.Name(), d => d.At("spec", "template", "metadata", "labels").Labels());
        components["postgres"] = new() { ["cnpg.io/cluster"] = "mach-postgres" }; // the labels CloudNativePG gives its instances
        components["rabbitmq"] = new() { ["app.kubernetes.io/name"] = "mach-rabbitmq" }; // and the RabbitMQ operator its nodes

        var policies = overlay.OfKind("NetworkPolicy").ToList();
        var denyAll = policies.Where(p => p.At("spec", "podSelector")!.Value.EnumerateObject().Any() == false && !p.At("spec", "ingress").Items().Any()
            && p.At("spec", "policyTypes").Items().Any(t => t.GetString() == "Ingress"));
        Assert.Single(denyAll);

        var allowed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var policy in policies)
        {
            var targets = components.Where(c => Matches(policy.At("spec", "podSelector"), c.Value)).Select(c => c.Key).ToList();
            foreach (var rule in policy.At("spec", "ingress").Items())
            {
                var ports = rule.At("ports").Items().Select(p => p.GetProperty("port").ToString()).ToList();
                Assert.NotEmpty(ports); // every allowance names its ports
                foreach (var peer in rule.At("from").Items())
                {
                    var sources = peer.At("namespaceSelector") is { } namespaces
                        ? [$"namespace:{namespaces.At("matchLabels", "kubernetes.io/metadata.name")?.GetString() ?? "any"}"]
                        : components.Where(c => Matches(peer.At("podSelector"), c.Value)).Select(c => c.Key).ToList();
                    Assert.NotEmpty(sources);
                    foreach (var (source, target, port) in sources.SelectMany(s => targets.SelectMany(t => ports.Select(p => (s, t, p)))))
                    {
                        allowed.Add($"{source} -> {target}:{port}");
                    }
                }
            }
        }

        string[] cluster(string member, string operatorNamespace, params int[] ports) =>
            [.. new[] { member, $"namespace:{operatorNamespace}" }.SelectMany(s => ports.Select(p => $"{s} -> {member}:{p}"))];
        var expected = new SortedSet<string>(
        [
            "namespace:ingress-nginx -> gateway:8080", "namespace:ingress-nginx -> console:8080", "namespace:ingress-nginx -> storefront:8080",
            "gateway -> catalog:8080", "gateway -> profiles:8080", "gateway -> personalization:8080", "gateway -> identity:8080", "gateway -> webhooks:8080",
            "profiles -> personalization:8080",
            "gateway -> postgres:5432", "catalog -> postgres:5432", "profiles -> postgres:5432", "personalization -> postgres:5432", "identity -> postgres:5432",
            "webhooks -> postgres:5432",
            "catalog -> rabbitmq:5672", "profiles -> rabbitmq:5672", "personalization -> rabbitmq:5672", "webhooks -> rabbitmq:5672",
            .. cluster("postgres", "cnpg-system", 5432, 8000),
            .. cluster("rabbitmq", "rabbitmq-system", 4369, 5672, 15672, 25672),
        ], StringComparer.Ordinal);
        Assert.Equal(expected, allowed);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_webhooks_service_reaches_public_addresses_and_never_a_private_range(string name)
    {
        var overlay = await RenderedOverlay.GetAsync(name);
        var egress = overlay.OfKind("NetworkPolicy").Where(p => p.At("spec", "policyTypes").Items().Any(t => t.GetString() == "Egress")).ToList();
        var policy = Assert.Single(egress); // only the one pod that must leave the cluster is restricted (and allowed) outward
        Assert.Equal("webhooks", policy.At("spec", "podSelector", "matchLabels", "app.kubernetes.io/name")?.GetString());
        var blocks = policy.At("spec", "egress").Items().SelectMany(rule => rule.At("to").Items()).Select(peer => peer.At("ipBlock")).OfType<JsonElement>().ToList();
        var ipv4 = blocks.Single(b => b.GetProperty("cidr").GetString() == "0.0.0.0/0");
        var excluded = ipv4.At("except").Items().Select(e => e.GetString()).ToHashSet();
        foreach (var range in new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8", "100.64.0.0/10" })
        {
            Assert.Contains(range, excluded);
        }

        var ipv6 = blocks.Single(b => b.GetProperty("cidr").GetString() == "::/0");
        Assert.Contains("fc00::/7", ipv6.At("except").Items().Select(e => e.GetString()));
        Assert.Contains("fe80::/10", ipv6.At("except").Items().Select(e => e.GetString()));
    }

    /// <summary>A label selector (matchLabels and the In/Exists expressions) against a pod's labels; an empty one selects all.</summary>
    private static bool Matches(JsonElement? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return false;
        }

        var required = selector.Value.At("matchLabels").Labels();
        var expressions = selector.Value.At("matchExpressions").Items().All(e =>
        {
            var key = e.GetProperty("key").GetString()!;
            return e.GetProperty("operator").GetString() switch
            {
                "Exists" => labels.ContainsKey(key),
                "DoesNotExist" => !labels.ContainsKey(key),
                "In" => labels.TryGetValue(key, out var value) && e.At("values").Items().Any(v => v.GetString() == value),
                "NotIn" => !labels.TryGetValue(key, out var other) || e.At("values").Items().All(v => v.GetString() != other),
                _ => false,
            };
        });
        return expressions && required.All(r => labels.TryGetValue(r.Key, out var value) && value == r.Value);
    }

    private static string ProjectAssembly(string project)
    {
        var xml = XDocument.Load(Path.Combine(RenderedOverlay.Root, project));
        return xml.Descendants("AssemblyName").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(project);
    }

    [GeneratedRegex("(Key|Password|Secret|Token)$|PASSWORD", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
