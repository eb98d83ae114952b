namespace MachCommerce.Hosting.Identity;

/// <summary>
/// What a visitor id (a storefront's own id for an anonymous browser) may look like: the gateway checks the header
/// before it signs one into an assertion, and the services check the ids a request or event names.
/// </summary>
public static class VisitorIds
{
    public const string Rule = "must be 1 to 128 letters, digits or . _ : - characters.";

    public static bool IsValid(string visitorId) =>
        visitorId.Length is >= 1 and <= 128 && visitorId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}
