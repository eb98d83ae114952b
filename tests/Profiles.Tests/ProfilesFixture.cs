namespace MachCommerce.Profiles.Tests;

/// <summary>The real profiles service on a database and RabbitMQ virtual host of its own, one per test class.</summary>
public sealed class ProfilesFixture : IAsyncLifetime
{
    private ServiceUnderTest<ProfilesDatabase> _service = null!;

    public string ConnectionString { get; private set; } = "";

    public Uri Broker { get; private set; } = null!;

    /// <summary>A stand-in for another service that holds personal data, registered as the data holder "personalization".</summary>
    public DataHolderDouble Personalization { get; } = new();

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        ConnectionString = await TestServers.CreateDatabaseAsync("profiles");
        Broker = await servers.RabbitMq.CreateVirtualHostAsync("profiles-" + Guid.NewGuid().ToString("N")[..10]);
        await Personalization.StartAsync();
        _service = ServiceUnderTest.Start<ProfilesDatabase>("services/profiles", ConnectionString, Broker, settings: new Dictionary<string, string?>
        {
            ["Gdpr:DataHolders:personalization:Url"] = Personalization.Address.ToString(),
        });
        await _service.AnonymousClient().WaitUntilBusHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await Personalization.DisposeAsync();
        await TestServers.DropDatabaseAsync(ConnectionString);
    }

    public HttpClient Client(string tenant, params string[] scopes) => _service.Client(tenant, scopes);

    public static string NewTenant() => "shop-" + Guid.NewGuid().ToString("N")[..8];

    public Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => Sql.ScalarAsync<T>(ConnectionString, sql, parameters);

    /// <summary>The short type names of the events a tenant's changes put in the outbox, in order.</summary>
    public async Task<List<(string Type, JsonElement Payload)>> EventsAsync(string tenant)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT message_type, payload::text FROM profiles.outbox WHERE tenant_id = $1 ORDER BY seq");
        command.Parameters.Add(new() { Value = tenant });
        var events = new List<(string, JsonElement)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetString(0).Split(',')[0].Split('.')[^1], JsonDocument.Parse(reader.GetString(1)).RootElement.Clone()));
        }

        return events;
    }
}

internal static class ProfileRequests
{
    public static object Person(string email, string firstName = "Anna", string lastName = "Huber", string? externalId = null, string? group = null) => new
    {
        kind = "person",
        email,
        externalId,
        firstName,
        lastName,
        locale = "de-DE",
        customerGroup = group,
        addresses = new[] { new { kind = "billing", street = "Hauptstraße 1", postalCode = "83022", city = "Rosenheim", country = "DE" } },
        traits = new { stammkunde = true, kundennummer = 4711 },
        preferences = new { categories = new[] { "garten" }, brands = new[] { "Gardena" }, channels = new[] { "email" } },
    };

    public static async Task<JsonElement> CreateAsync(this HttpClient client, object profile)
    {
        var response = await client.PostAsJsonAsync("/profiles", profile);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return body;
    }
}
