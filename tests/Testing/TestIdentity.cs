namespace MachCommerce.Testing;

/// <summary>
/// The tests' identity keys (a pair per signer, made once per test run) and assertions minted as the gateway
/// would. A service under test gets the same Identity settings the launcher gives it (<see cref="IdentityTrust"/>).
/// </summary>
public static class TestIdentity
{
    /// <summary>The audience of a test app that is none of the deployables.</summary>
    public const string Audience = "tests";

    public static readonly IReadOnlyDictionary<string, IdentityKeys.KeyPair> Keys =
        IdentityTrust.Signers.ToDictionary(signer => signer, _ => IdentityKeys.NewKeyPair());

    /// <summary>Signs as the gateway.</summary>
    public static readonly IdentityAssertionCodec Codec =
        new(new IdentityOptions { Issuer = IdentityTrust.Gateway, SigningKey = Keys[IdentityTrust.Gateway].PrivateKey });

    /// <summary>The Identity settings of <paramref name="deployable"/>, for an in-memory configuration.</summary>
    public static Dictionary<string, string?> Settings(string deployable) =>
        IdentityTrust.Settings(deployable, Keys).ToDictionary(pair => pair.Key, pair => (string?)pair.Value);

    /// <summary>An assertion for a test app (audience <see cref="Audience"/>).</summary>
    public static string Mint(string tenantId, params string[] scopes) => MintFor(Audience, tenantId, scopes);

    public static string MintFor(string audience, string tenantId, params string[] scopes) => Codec.Mint(tenantId, scopes, "test", audience);

    public static HttpRequestMessage WithIdentity(this HttpRequestMessage request, string tenantId, params string[] scopes)
    {
        request.Headers.Add(IdentityAssertionCodec.HeaderName, Mint(tenantId, scopes));
        return request;
    }
}
