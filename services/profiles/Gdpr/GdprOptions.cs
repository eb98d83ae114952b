namespace MachCommerce.Profiles.Gdpr;

/// <summary>
/// The other services that hold personal data (<c>Gdpr__DataHolders__personalization__Url=http://...</c>): each
/// serves its part of an export at <c>GET {Url}/gdpr/profiles/{id}/export</c> and confirms erasures with an
/// ErasureConfirmed event naming itself.
/// </summary>
public sealed class GdprOptions
{
    public const string Section = "Gdpr";

    public Dictionary<string, DataHolder> DataHolders { get; set; } = [];

    public sealed class DataHolder
    {
        public Uri? Url { get; set; }
    }
}
