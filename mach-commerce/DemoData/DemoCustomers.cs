using MachCommerce.Api.Profiles;

namespace MachCommerce.Launcher.DemoData;

/// <summary>A demo customer with the consents the customer gave (purpose → granted).</summary>
public sealed record DemoCustomer(ProfileInput Profile, IReadOnlyDictionary<string, bool> Consents);

/// <summary>
/// Deterministic, realistic customers of a German shop: persons with German names in Bavarian towns, and trade
/// customers (companies in the customer group "fachhandel") with VAT ids and contact persons. About two in three
/// allow personalization, fewer allow marketing e-mail.
/// </summary>
public static class DemoCustomers
{
    private static readonly string[] FirstNames = ["Anna", "Lukas", "Maria", "Jonas", "Sophie", "Felix", "Lena", "Maximilian", "Laura", "Paul", "Julia", "Tobias", "Katharina", "Florian", "Theresa", "Andreas"];
    private static readonly string[] LastNames = ["Huber", "Bauer", "Wagner", "Müller", "Pichler", "Gruber", "Moser", "Mayer", "Hofer", "Leitner", "Berger", "Fuchs", "Eder", "Schmid", "Weber", "Brunner"];
    private static readonly (string City, string PostalCode)[] Towns = [("Rosenheim", "83022"), ("Freising", "85354"), ("Landshut", "84028"), ("Erding", "85435"), ("Traunstein", "83278"), ("Wasserburg", "83512"), ("Ebersberg", "85560")];
    private static readonly string[] Streets = ["Hauptstraße", "Bahnhofstraße", "Kirchweg", "Gartenstraße", "Lindenallee", "Am Anger", "Schulstraße"];
    private static readonly string[] Trades = ["Bau", "Gartenbau", "Haustechnik", "Schreinerei", "Elektro", "Malerbetrieb"];

    public static IEnumerable<DemoCustomer> For(string tenantId, int count, int seed)
    {
        var random = new Random(HashCode.Combine(seed, tenantId.Aggregate(17, (h, c) => unchecked(h * 31 + c))));
        var domain = tenantId.Replace("-", "", StringComparison.Ordinal) + ".example";
        for (var i = 0; i < count; i++)
        {
            var (city, postalCode) = Towns[random.Next(Towns.Length)];
            var address = new AddressInput("billing", $"{Streets[random.Next(Streets.Length)]} {random.Next(1, 80)}", postalCode, city, "DE");
            var company = random.Next(8) == 0;
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var profile = company
                ? new ProfileInput
                {
                    Kind = "company",
                    ExternalId = $"F-{i + 1:D5}",
                    Email = $"einkauf{i + 1}@{domain}",
                    CompanyName = $"{last} {Trades[random.Next(Trades.Length)]} GmbH",
                    VatId = $"DE{random.Next(100_000_000, 999_999_999)}",
                    CustomerGroup = "fachhandel",
                    Locale = "de-DE",
                    Addresses = [address],
                    Contacts = [new ContactInput($"{first} {last}", $"{first.ToLowerInvariant()}@{domain}", "Einkauf")],
                    Traits = new() { ["mitarbeiter"] = JsonSerializer.SerializeToElement(random.Next(3, 80)) },
                }
                : new ProfileInput
                {
                    Kind = "person",
                    ExternalId = $"K-{i + 1:D5}",
                    Email = $"{Ascii(first)}.{Ascii(last)}{i + 1}@{domain}",
                    FirstName = first,
                    LastName = last,
                    Locale = random.Next(10) == 0 ? "en-GB" : "de-DE",
                    Addresses = [address],
                    Traits = new()
                    {
                        ["stammkunde"] = JsonSerializer.SerializeToElement(random.Next(3) == 0),
                        ["garten_m2"] = JsonSerializer.SerializeToElement(random.Next(4) == 0 ? 0 : random.Next(50, 1200)),
                    },
                };
            var consents = new Dictionary<string, bool>
            {
                ["personalization"] = random.Next(3) != 0,
                ["marketing_email"] = random.Next(3) == 0,
                ["analytics"] = random.Next(2) == 0,
            };
            yield return new DemoCustomer(profile, consents);
        }
    }

    private static string Ascii(string name) => name.ToLowerInvariant().Replace("ü", "ue", StringComparison.Ordinal).Replace("ö", "oe", StringComparison.Ordinal).Replace("ä", "ae", StringComparison.Ordinal);
}
