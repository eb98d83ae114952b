using MachCommerce.Gateway.Callers;
using MachCommerce.Hosting.Identity;

namespace MachCommerce.Gateway.Identity;

/// <summary>The signed identity assertion the gateway sends a service for a caller (audience = the service's name).</summary>
public sealed class ServiceAssertions(IdentityAssertionCodec codec)
{
    /// <summary>An assertion for one call; <paramref name="scopes"/> narrows or widens what the gateway itself does on the caller's behalf.</summary>
    public string For(Caller caller, string audience, IReadOnlyList<string>? scopes = null) =>
        codec.Mint(caller.TenantId, scopes ?? caller.Scopes, caller.Subject, caller.ProfileId, caller.VisitorId, audience, TimeSpan.FromMinutes(1), caller.CustomerGroup);
}
