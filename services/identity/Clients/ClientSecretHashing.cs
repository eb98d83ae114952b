using MachCommerce.Identity.Data;
using OpenIddict.Core;

namespace MachCommerce.Identity.Clients;

/// <summary>
/// OpenIddict's application manager with a fast secret hash. Its default is PBKDF2, a password hash made slow so a
/// guessable password resists an attacker who stole the database; every secret here is 256 random bits this
/// service made (<see cref="PartnerClients"/>), which no amount of guessing finds, so SHA-256 protects it as well and
/// costs microseconds instead of milliseconds on every token request (the gateway's API keys are hashed the same
/// way). A secret stored by the default hash still validates.
/// </summary>
public sealed class ClientSecretHashing(
    IOpenIddictApplicationCache<ClientApplication> cache,
    ILogger<OpenIddictApplicationManager<ClientApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<ClientApplication> store)
    : OpenIddictApplicationManager<ClientApplication>(cache, logger, options, store)
{
    private const string Prefix = "sha256:";

    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Prefix + Convert.ToBase64String(Hash(secret)));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        if (!comparand.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return base.ValidateClientSecretAsync(secret, comparand, cancellationToken);
        }

        var stored = new byte[32];
        return ValueTask.FromResult(Convert.TryFromBase64String(comparand[Prefix.Length..], stored, out var length) && length == stored.Length
            && CryptographicOperations.FixedTimeEquals(Hash(secret), stored));
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
