using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.RateLimits;
using MachCommerce.Gateway.Tenants;
using Microsoft.Extensions.Options;

namespace MachCommerce.Gateway.Tests;

/// <summary>The token and key building blocks on their own, with a clock the test moves.</summary>
public sealed class CustomerTokenTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly string KeyA = IdentityKeys.NewKeyPair().PrivateKey;
    private static readonly string KeyB = IdentityKeys.NewKeyPair().PrivateKey;

    /// <summary>The gateway's customer tokens with <paramref name="key"/>, also believing <paramref name="previous"/>'s public half (a rotation).</summary>
    private static CustomerTokens Tokens(TimeProvider clock, string key, string? previous = null)
    {
        var options = new IdentityOptions { Audience = "gateway", Issuer = IdentityTrust.Gateway, SigningKey = key };
        if (previous is not null)
        {
            options.TrustedSigners[IdentityTrust.Gateway] = new TrustedSigner { PublicKeys = $"{IdentityKeys.PublicKeyOf(key)} {IdentityKeys.PublicKeyOf(previous)}" };
        }

        return new CustomerTokens(Options.Create(options), clock);
    }

    [Fact]
    public async Task A_token_carries_tenant_profile_and_group_until_it_expires()
    {
        var clock = new ManualClock();
        var tokens = Tokens(clock, KeyA);
        var (token, expires) = tokens.Issue("eisen-berger", "0199aa00-0000-7000-8000-000000000001", "fachhandel", TimeSpan.FromMinutes(30));
        Assert.Equal(clock.Now.AddMinutes(30), expires);
        var (customer, _) = await tokens.VerifyAsync(token);
        Assert.Equal(("eisen-berger", "0199aa00-0000-7000-8000-000000000001", "fachhandel"), (customer!.TenantId, customer.ProfileId, customer.CustomerGroup));

        clock.Now = clock.Now.AddMinutes(31);
        var (expired, failure) = await tokens.VerifyAsync(token);
        Assert.Null(expired);
        Assert.Contains("expired", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_token_or_one_signed_with_another_key_is_refused_and_the_previous_key_still_verifies()
    {
        var clock = new ManualClock();
        var (token, _) = Tokens(clock, KeyA).Issue("eisen-berger", "p1", null, TimeSpan.FromMinutes(5));
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("eisen-berger", "garten-lindner", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        Assert.Contains("signature", (await Tokens(clock, KeyA).VerifyAsync(forged)).Failure, StringComparison.Ordinal);
        Assert.Null((await Tokens(clock, KeyB).VerifyAsync(token)).Customer);
        Assert.NotNull((await Tokens(clock, KeyB, previous: KeyA).VerifyAsync(token)).Customer);
        Assert.Contains("malformed", (await Tokens(clock, KeyA).VerifyAsync("ct1.garbage")).Failure, StringComparison.Ordinal);
        Assert.Null((await Tokens(clock, KeyA).VerifyAsync(new string('a', 5000))).Customer);

        // A service assertion signed with the same key is no customer token (and the other way round).
        var gateway = new IdentityOptions { Audience = "catalog", Issuer = IdentityTrust.Gateway, SigningKey = KeyA };
        gateway.TrustedSigners[IdentityTrust.Gateway] = new TrustedSigner { PublicKeys = IdentityKeys.PublicKeyOf(KeyA) };
        var codec = new IdentityAssertionCodec(gateway, clock);
        var assertion = codec.Mint("eisen-berger", Scopes.All, "x", "catalog");
        Assert.Contains("not a customer token", (await Tokens(clock, KeyA).VerifyAsync(assertion)).Failure, StringComparison.Ordinal);
        Assert.Null((await codec.VerifyAsync(token)).Assertion);
        Assert.NotNull((await codec.VerifyAsync(assertion)).Assertion);
    }

    [Fact]
    public void Keys_are_random_prefixed_and_stored_only_as_a_hash()
    {
        var (key, prefix, hash) = ApiKeySecrets.New(KeyKind.Storefront);
        var (other, _, otherHash) = ApiKeySecrets.New(KeyKind.Storefront);
        Assert.StartsWith("mc_sf_", key, StringComparison.Ordinal);
        Assert.Equal(49, key.Length);
        Assert.Equal(key[..ApiKeySecrets.PrefixLength], prefix);
        Assert.NotEqual(key, other);
        Assert.Equal(hash, ApiKeySecrets.Hash(key));
        Assert.NotEqual(hash, otherHash);
        Assert.True(ApiKeySecrets.LooksLikeKey(key));
        Assert.False(ApiKeySecrets.LooksLikeKey("mc_sf_ with spaces and more than twenty chars"));
    }

    [Fact]
    public void A_keys_bucket_holds_its_burst_and_a_request_costing_more_empties_it()
    {
        var limits = new KeyRateLimits();
        var caller = new Caller("t", KeyKind.Partner, Guid.NewGuid(), [], [], new RatePlan(1, 10));
        Assert.True(limits.TryAcquire(caller, 6).Allowed);
        Assert.True(limits.TryAcquire(caller, 4).Allowed);
        var (allowed, retryAfter) = limits.TryAcquire(caller, 1);
        Assert.False(allowed);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1));

        var other = caller with { KeyId = Guid.NewGuid() };
        Assert.True(limits.TryAcquire(other, 500).Allowed); // clamped to the whole bucket
        Assert.False(limits.TryAcquire(other, 1).Allowed);
    }
}
