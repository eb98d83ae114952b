using Microsoft.IdentityModel.JsonWebTokens;

namespace MachCommerce.Platform.Tests.Identity;

/// <summary>The codec on its own, with a clock the test moves; the attacks over HTTP are in RequestIdentityTests.</summary>
public sealed class IdentityAssertionCodecTests
{
    private static readonly IdentityKeys.KeyPair Gateway = IdentityKeys.NewKeyPair();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private IdentityAssertionCodec Signer(IdentityKeys.KeyPair? key = null, TimeProvider? time = null) =>
        new(new IdentityOptions { Issuer = IdentityTrust.Gateway, SigningKey = (key ?? Gateway).PrivateKey }, time ?? _time);

    private IdentityAssertionCodec Verifier(string audience = "catalog", params IdentityKeys.KeyPair[] gatewayKeys)
    {
        var options = new IdentityOptions { Audience = audience };
        options.TrustedSigners[IdentityTrust.Gateway] = new TrustedSigner
        {
            PublicKeys = string.Join(' ', (gatewayKeys.Length > 0 ? gatewayKeys : [Gateway]).Select(key => key.PublicKey)),
        };
        return new IdentityAssertionCodec(options, _time);
    }

    [Fact]
    public async Task A_minted_assertion_is_an_ES256_JWT_that_verifies_with_every_fact_intact()
    {
        var token = Signer().Mint("shop-a", [Scopes.CatalogRead, Scopes.CatalogWrite], "key-1", "catalog", profileId: "p-1", visitorId: "v-1", customerGroup: "fachhandel");

        var jwt = new JsonWebToken(token);
        Assert.Equal(("ES256", IdentityAssertionCodec.TokenType, "gateway", "catalog"), (jwt.Alg, jwt.Typ, jwt.Issuer, jwt.Audiences.Single()));
        IdentityKeys.TryReadPublic(Gateway.PublicKey, out var key);
        Assert.Equal(key!.KeyId, jwt.Kid);

        var assertion = (await Verifier().VerifyAsync(token)).Assertion!;
        Assert.Equal("shop-a", assertion.TenantId);
        Assert.Equal([Scopes.CatalogRead, Scopes.CatalogWrite], assertion.Scopes);
        Assert.Equal(("key-1", "p-1", "v-1", "fachhandel"), (assertion.Subject, assertion.ProfileId, assertion.VisitorId, assertion.CustomerGroup));
        Assert.Equal(_time.GetUtcNow().AddMinutes(1), assertion.ExpiresAt);
    }

    [Fact]
    public async Task An_expired_assertion_is_rejected_after_the_clock_skew()
    {
        var token = Signer().Mint("shop-a", [Scopes.CatalogRead], "key-1", "catalog", lifetime: TimeSpan.FromSeconds(60));

        _time.Advance(TimeSpan.FromSeconds(80)); // inside the 30 s skew
        Assert.NotNull((await Verifier().VerifyAsync(token)).Assertion);

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Contains("expired", (await Verifier().VerifyAsync(token)).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verified_assertion_is_remembered_until_it_expires_and_a_refused_one_never()
    {
        var verifier = Verifier();
        var token = Signer().Mint("shop-a", [Scopes.CatalogRead], "key-1", "catalog", lifetime: TimeSpan.FromSeconds(60));
        var forged = Signer(IdentityKeys.NewKeyPair()).Mint("shop-a", [Scopes.CatalogRead], "key-1", "catalog");

        Assert.NotNull((await verifier.VerifyAsync(token)).Assertion);
        Assert.Null((await verifier.VerifyAsync(forged)).Assertion);
        Assert.True(verifier.TryRecall(token, out var remembered));
        Assert.Equal("shop-a", remembered.TenantId);
        Assert.False(verifier.TryRecall(forged, out _));

        _time.Advance(TimeSpan.FromSeconds(100)); // past expiry and skew
        Assert.False(verifier.TryRecall(token, out _));
        Assert.Contains("expired", (await verifier.VerifyAsync(token)).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task During_a_rotation_both_keys_verify_and_each_is_told_apart_by_its_key_id()
    {
        var next = IdentityKeys.NewKeyPair();
        var rotating = Verifier("catalog", next, Gateway);

        Assert.NotNull((await rotating.VerifyAsync(Signer().Mint("shop-a", [], "key-1", "catalog"))).Assertion);
        Assert.NotNull((await rotating.VerifyAsync(Signer(next).Mint("shop-a", [], "key-1", "catalog"))).Assertion);
        Assert.NotEqual(new JsonWebToken(Signer().Mint("shop-a", [], "k", "catalog")).Kid, new JsonWebToken(Signer(next).Mint("shop-a", [], "k", "catalog")).Kid);

        // After the rotation the old key is gone from the list, and with it every assertion it signed.
        Assert.Contains("signature", (await Verifier("catalog", next).VerifyAsync(Signer().Mint("shop-a", [], "key-1", "catalog"))).Failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1.abc")]
    [InlineData("eyJhbGciOiJFUzI1NiJ9")]
    [InlineData("!!!.!!!.!!!")]
    [InlineData("a.b.c.d.e.f")]
    public async Task Malformed_tokens_are_rejected_without_throwing(string token)
    {
        var (assertion, failure) = await Verifier().VerifyAsync(token);

        Assert.Null(assertion);
        Assert.NotEmpty(failure);
    }

    [Fact]
    public async Task A_correctly_signed_token_without_a_tenant_is_malformed()
    {
        IdentityKeys.TryReadPrivate(Gateway.PrivateKey, out var key);
        var now = _time.GetUtcNow().UtcDateTime;
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            TokenType = IdentityAssertionCodec.TokenType,
            Issuer = IdentityTrust.Gateway,
            Audience = "catalog",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(1),
            Claims = new Dictionary<string, object> { ["sub"] = "x" },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(key, "ES256"),
        });

        Assert.Contains("malformed", (await Verifier().VerifyAsync(token)).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_lived_assertion_is_rejected_even_when_signed()
    {
        var token = Signer().Mint("shop-a", [Scopes.CatalogRead], "key-1", "catalog", lifetime: TimeSpan.FromHours(2));

        Assert.Contains("lifetime", (await Verifier().VerifyAsync(token)).Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assertion_issued_in_the_future_is_rejected()
    {
        var token = Signer(time: new ManualTime(_time.GetUtcNow().AddMinutes(10))).Mint("shop-a", [], "key-1", "catalog");

        Assert.Null((await Verifier().VerifyAsync(token)).Assertion);
    }

    [Fact]
    public async Task A_service_accepts_only_assertions_minted_for_it()
    {
        var forProfiles = Signer().Mint("shop-a", [Scopes.CatalogRead], "key-1", "profiles");

        Assert.Contains("not issued for catalog", (await Verifier("catalog").VerifyAsync(forProfiles)).Failure, StringComparison.Ordinal);
        Assert.NotNull((await Verifier("profiles").VerifyAsync(forProfiles)).Assertion);
    }

    [Fact]
    public void A_process_without_a_signing_key_cannot_mint()
    {
        Assert.Throws<InvalidOperationException>(() => Verifier().Mint("shop-a", [], "key-1", "catalog"));
    }
}

internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
