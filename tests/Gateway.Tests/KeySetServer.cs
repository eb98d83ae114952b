using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace MachCommerce.Gateway.Tests;

/// <summary>
/// A stand-in for the identity service's key set: a real HTTP server on loopback that publishes, as JWKS at
/// <c>/.well-known/jwks</c>, the public halves of whichever private keys the test currently names.
/// </summary>
public sealed class KeySetServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KeySetServer(WebApplication app, Uri address) => (_app, Address) = (app, address);

    public Uri Address { get; }

    public static async Task<KeySetServer> StartAsync(Func<IReadOnlyList<string>> privateKeys)
    {
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/health/ready", () => Results.Ok());
            app.MapGet("/.well-known/jwks", () => Results.Text(KeySet(privateKeys()), "application/json"));
        });
        return new KeySetServer(app, address);
    }

    private static string KeySet(IReadOnlyList<string> privateKeys) => JsonSerializer.Serialize(new
    {
        keys = privateKeys.Select(privateKey =>
        {
            IdentityKeys.TryReadPublic(IdentityKeys.PublicKeyOf(privateKey), out var key);
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key);
            return new { kty = "EC", use = "sig", alg = "ES256", crv = "P-256", kid = key!.KeyId, x = jwk.X, y = jwk.Y };
        }),
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
