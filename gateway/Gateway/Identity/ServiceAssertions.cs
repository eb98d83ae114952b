using MachCommerce.Gateway.Callers;

namespace MachCommerce.Gateway.Identity;

/// <summary>
/// The signed identity assertion the gateway sends a service for a caller (audience = the service's name).
/// Signing ES256 costs tens of microseconds, a proxied request's largest own cost; the assertion for one caller
/// and service says the same thing for its whole minute, so it is minted once and reused for the first half of it.
/// </summary>
public sealed class ServiceAssertions(IdentityAssertionCodec codec, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>Visitors come and go: past this many callers the cache starts over rather than grow without bound.</summary>
    private const int MaxCached = 20_000;

    private readonly ExpiringCache<string> _minted = new(MaxCached, time);

    /// <summary>An assertion for one call; <paramref name="scopes"/> narrows or widens what the gateway itself does on the caller's behalf.</summary>
    public string For(Caller caller, string audience, IReadOnlyList<string>? scopes = null)
    {
        scopes ??= caller.Scopes;
        var key = string.Join('\u001f', caller.TenantId, caller.Subject, audience, caller.ProfileId, caller.VisitorId, caller.CustomerGroup, caller.TenantCooperative, string.Join(' ', scopes));
        if (_minted.TryGet(key, out var cached))
        {
            return cached;
        }

        var token = codec.Mint(caller.TenantId, scopes, caller.Subject, audience, caller.ProfileId, caller.VisitorId, Lifetime, caller.CustomerGroup,
            caller.TenantCooperative is { Length: > 0 } cooperative ? cooperative : null);
        _minted.Set(key, token, _minted.Now + Lifetime / 2);
        return token;
    }
}
