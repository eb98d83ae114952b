using System.Net.Mail;
using System.Text.RegularExpressions;

namespace MachCommerce.Profiles.Profiles;

/// <summary>A profile that passed validation, normalised (e-mail lower case, texts trimmed) and serialised for storage.</summary>
internal sealed record ValidProfile(
    string Kind, string? ExternalId, string? Email, string? FirstName, string? LastName, string? CompanyName, string? VatId,
    string? CustomerGroup, string? Locale, string AddressesJson, string TraitsJson, string PreferencesJson, string ContactsJson)
{
    public string SearchName => string.Join(' ', new[] { FirstName, LastName, CompanyName }.Where(n => !string.IsNullOrEmpty(n))).ToLowerInvariant();

    public Dictionary<string, string> TraitTexts()
    {
        using var document = JsonDocument.Parse(TraitsJson);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }
}

/// <summary>Checks a <see cref="ProfileInput"/>, reporting every problem keyed by its JSON path.</summary>
internal static partial class ProfileValidator
{
    public static ValidProfile? Validate(ProfileInput input, FieldErrors errors)
    {
        var before = errors.Count;
        void Fail(string field, string reason) => errors[field] = errors.TryGetValue(field, out var e) ? [.. e, reason] : [reason];

        var kind = input.Kind?.Trim().ToLowerInvariant() ?? "person";
        if (kind is not ("person" or "company"))
        {
            Fail("kind", "must be person or company.");
        }

        var email = Normalise(input.Email)?.ToLowerInvariant();
        if (email is not null && (email.Length > 254 || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('.', StringComparison.Ordinal)))
        {
            Fail("email", "is not a valid e-mail address.");
        }

        var externalId = Normalise(input.ExternalId);
        if (externalId is { Length: > 100 })
        {
            Fail("externalId", "must be at most 100 characters.");
        }

        if (email is null && externalId is null)
        {
            Fail("email", "an e-mail address or an external id is required to tell customers apart.");
        }

        var firstName = Text(input.FirstName, "firstName", 100, Fail);
        var lastName = Text(input.LastName, "lastName", 100, Fail);
        var companyName = Text(input.CompanyName, "companyName", 200, Fail);
        var vatId = Normalise(input.VatId)?.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (kind == "company" && companyName is null)
        {
            Fail("companyName", "is required for a company.");
        }

        if (vatId is not null && !VatIdPattern().IsMatch(vatId))
        {
            Fail("vatId", "must be an EU VAT id: two-letter country code and 2 to 13 letters or digits, e.g. DE123456789.");
        }

        var customerGroup = Normalise(input.CustomerGroup)?.ToLowerInvariant();
        if (customerGroup is not null && !GroupPattern().IsMatch(customerGroup))
        {
            Fail("customerGroup", "must be 1 to 40 lower-case letters, digits, '-' or '_'.");
        }

        var locale = Normalise(input.Locale);
        if (locale is not null && !LocalePattern().IsMatch(locale))
        {
            Fail("locale", "must be de or en, optionally with a region (de-DE).");
        }

        var addresses = input.Addresses ?? [];
        if (addresses.Count > 10)
        {
            Fail("addresses", "may hold at most 10 addresses.");
        }

        for (var i = 0; i < Math.Min(addresses.Count, 10); i++)
        {
            var address = addresses[i];
            if (string.IsNullOrWhiteSpace(address.City) || string.IsNullOrWhiteSpace(address.PostalCode) || address.Country is not { Length: 2 })
            {
                Fail($"addresses[{i}]", "needs postalCode, city and a two-letter country code.");
            }
            else if (new[] { address.Street, address.PostalCode, address.City, address.Kind }.Any(t => t is { Length: > 200 }))
            {
                Fail($"addresses[{i}]", "fields must be at most 200 characters.");
            }
        }

        var traits = input.Traits ?? [];
        if (traits.Count > 50)
        {
            Fail("traits", "may hold at most 50 traits.");
        }

        foreach (var (key, value) in traits)
        {
            if (!TraitKeyPattern().IsMatch(key))
            {
                Fail($"traits.{key}", "names must be 1 to 40 lower-case letters, digits or '_', starting with a letter.");
            }
            else if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                     || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 500))
            {
                Fail($"traits.{key}", "must be text (at most 500 characters), a number or true/false.");
            }
        }

        var preferences = input.Preferences ?? new PreferencesInput([], [], []);
        foreach (var (name, list) in new[] { ("categories", preferences.Categories), ("brands", preferences.Brands), ("channels", preferences.Channels) })
        {
            if (list is { Count: > 50 } || list?.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > 100) == true)
            {
                Fail($"preferences.{name}", "may hold at most 50 values of 1 to 100 characters.");
            }
        }

        var contacts = input.Contacts ?? [];
        if (contacts.Count > 20 || contacts.Any(c => string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > 200 || c.Email is { Length: > 254 }))
        {
            Fail("contacts", "may hold at most 20 contact persons, each with a name of up to 200 characters.");
        }

        return errors.Count > before
            ? null
            : new ValidProfile(kind, externalId, email, firstName, lastName, companyName, vatId, customerGroup, locale,
                JsonSerializer.Serialize(addresses, Web), JsonSerializer.Serialize(traits), JsonSerializer.Serialize(preferences, Web), JsonSerializer.Serialize(contacts, Web));
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static string? Normalise(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string? Text(string? text, string field, int maxLength, Action<string, string> fail)
    {
        var value = Normalise(text);
        if (value is { Length: var length } && length > maxLength)
        {
            fail(field, $"must be at most {maxLength} characters.");
        }

        return value;
    }

    [GeneratedRegex("^[A-Z]{2}[A-Z0-9]{2,13}$")]
    private static partial Regex VatIdPattern();

    [GeneratedRegex("^[a-z0-9_-]{1,40}$")]
    private static partial Regex GroupPattern();

    [GeneratedRegex("^(de|en)(-[A-Z]{2})?$")]
    private static partial Regex LocalePattern();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex TraitKeyPattern();
}
