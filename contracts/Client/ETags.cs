namespace MachCommerce.Client;

/// <summary>The API's ETags: <c>"v{version}"</c>, sent in If-Match so that a change never overwrites another made meanwhile.</summary>
public static class ETags
{
    public static string Of(int version) => $"\"v{version}\"";
}
