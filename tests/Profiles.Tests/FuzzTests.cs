using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace MachCommerce.Profiles.Tests;

/// <summary>Generated profile and consent payloads: never a 500, every refusal ProblemDetails, no half-written profile.</summary>
public sealed class FuzzTests(ProfilesFixture profiles) : IClassFixture<ProfilesFixture>
{
    private static readonly Gen<JsonNode?> AnyValue = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Choose(-5, 5).Select(n => (JsonNode?)JsonValue.Create(n)),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Elements("", " ", "a@b.de", "not-an-email", "Müller", "DE123456789", "company", "person", "de-DE", "fachhandel", "😀", "'; --", new string('x', 5000))
            .Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Constant<JsonNode?>(new JsonArray(1, "a", null)),
        Gen.Constant<JsonNode?>(new JsonObject { ["nested"] = new JsonObject { ["deep"] = 1 } }));

    private static readonly Gen<JsonObject> Profile =
        from kind in Gen.OneOf(Gen.Constant<JsonNode?>(JsonValue.Create("person")), AnyValue)
        from email in Gen.OneOf(Gen.Choose(0, 20).Select(n => (JsonNode?)JsonValue.Create($"fz{n}@example.de")), AnyValue)
        from name in AnyValue
        from vat in AnyValue
        from traits in AnyValue
        from addresses in AnyValue
        select new JsonObject
        {
            ["kind"] = kind?.DeepClone(),
            ["email"] = email?.DeepClone(),
            ["lastName"] = name?.DeepClone(),
            ["companyName"] = name?.DeepClone(),
            ["vatId"] = vat?.DeepClone(),
            ["traits"] = traits?.DeepClone(),
            ["addresses"] = addresses?.DeepClone(),
        };

    [Fact]
    public async Task Generated_payloads_never_cause_a_500_and_what_is_stored_is_what_was_reported()
    {
        var tenant = ProfilesFixture.NewTenant();
        var admin = profiles.Client(tenant);
        var created = new HashSet<Guid>();
        foreach (var payload in Profile.Sample(100, 200).Append(JsonSerializer.SerializeToNode(ProfileRequests.Person("fz-good@example.de"))!.AsObject()))
        {
            var response = await admin.PostAsync("/profiles", new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"));
            await ProblemAssertions.NotServerErrorAsync(response, payload);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                created.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            }
        }

        var consentBodies = Gen.Zip(AnyValue, AnyValue).Select(t => new JsonObject { ["granted"] = t.Item1?.DeepClone(), ["source"] = t.Item2?.DeepClone(), ["policyVersion"] = "1" }).Sample(10, 40);
        var someone = created.First();
        foreach (var body in consentBodies)
        {
            foreach (var purpose in new[] { "personalization", "nonsense", "%20" })
            {
                var response = await admin.PutAsync($"/profiles/{someone}/consents/{purpose}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                await ProblemAssertions.NotServerErrorAsync(response, body);
            }
        }

        foreach (var raw in new[] { "{", "[]", "null", "\"x\"", "{\"traits\": []}", new string('{', 3000) })
        {
            await ProblemAssertions.NotServerErrorAsync(await admin.PostAsync("/profiles", new StringContent(raw, Encoding.UTF8, "application/json")), raw);
        }

        Assert.Contains(created, _ => true);
        Assert.Equal(created.Count, await profiles.ScalarAsync<long>("SELECT count(*) FROM profiles.profiles WHERE tenant_id = $1", tenant));
        Assert.Equal(0L, await profiles.ScalarAsync<long>(
            "SELECT count(*) FROM profiles.profiles WHERE tenant_id = $1 AND (email IS NULL AND external_id IS NULL OR (kind = 'company' AND company_name IS NULL))", tenant));
    }
}
