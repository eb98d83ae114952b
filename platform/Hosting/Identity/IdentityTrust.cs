namespace MachCommerce.Hosting.Identity;

/// <summary>
/// Who signs identity assertions and who believes whom, in one place for the launcher and the tests (k8s/base
/// says the same in its manifests): the gateway signs for every caller and every service believes it; profiles
/// signs only to gather GDPR exports, and only personalization (a data holder) believes it, for that scope alone.
/// </summary>
public static class IdentityTrust
{
    public const string Gateway = "gateway";
    public const string Profiles = "profiles";

    /// <summary>The deployables that sign, each with a key pair of its own.</summary>
    public static readonly IReadOnlyList<string> Signers = [Gateway, Profiles];

    /// <summary>The <c>Identity</c> settings of <paramref name="deployable"/> (keys with ':'), given each signer's key pair.</summary>
    public static Dictionary<string, string> Settings(string deployable, IReadOnlyDictionary<string, IdentityKeys.KeyPair> keys)
    {
        var settings = new Dictionary<string, string>
        {
            ["Identity:Audience"] = deployable,
            [$"Identity:TrustedSigners:{Gateway}:PublicKeys"] = keys[Gateway].PublicKey,
        };
        if (keys.TryGetValue(deployable, out var own))
        {
            settings["Identity:Issuer"] = deployable;
            settings["Identity:SigningKey"] = own.PrivateKey;
        }

        if (deployable == "personalization")
        {
            settings[$"Identity:TrustedSigners:{Profiles}:PublicKeys"] = keys[Profiles].PublicKey;
            settings[$"Identity:TrustedSigners:{Profiles}:Scopes:0"] = Scopes.GdprExport;
        }

        return settings;
    }
}
