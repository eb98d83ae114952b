using MachCommerce.Hosting.Identity;

namespace MachCommerce.Testing;

/// <summary>Mints identity assertions as the gateway would, with a key known to the tests.</summary>
public static class TestIdentity
{
    public static readonly string SigningKey = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("mach-commerce-test-signing-key-0123456789"));

    public static readonly IdentityAssertionCodec Codec = new(new IdentityOptions { SigningKey = SigningKey });

    public static string Mint(string tenantId, params string[] scopes) => Codec.Mint(tenantId, scopes, subject: "test");

    public static HttpRequestMessage WithIdentity(this HttpRequestMessage request, string tenantId, params string[] scopes)
    {
        request.Headers.Add(IdentityAssertionCodec.HeaderName, Mint(tenantId, scopes));
        return request;
    }
}
