using System.Text;
using MachCommerce.Hosting.Identity;

namespace MachCommerce.Platform.Tests.Identity;

public sealed class IdentityAssertionCodecTests
{
    private static readonly string Key = IdentityAssertionCodec.NewKey();
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    private IdentityAssertionCodec Codec(string? audience = null, string? key = null, string? previousKey = null) =>
        new(new IdentityOptions { SigningKey = key ?? Key, PreviousSigningKey = previousKey, Audience = audience }, _time);

    [Fact]
    public void A_minted_assertion_verifies_with_every_fact_intact()
    {
        var token = Codec().Mint("shop-a", [Scopes.CatalogRead, Scopes.CatalogWrite], "key-1", profileId: "p-1", visitorId: "v-1", audience: "catalog");

        Assert.True(Codec().TryVerify(token, out var assertion, out _));
        Assert.Equal("shop-a", assertion!.TenantId);
        Assert.Equal([Scopes.CatalogRead, Scopes.CatalogWrite], assertion.Scopes);
        Assert.Equal("key-1", assertion.Subject);
        Assert.Equal("p-1", assertion.ProfileId);
        Assert.Equal("v-1", assertion.VisitorId);
        Assert.Equal(_time.GetUtcNow().AddMinutes(1), assertion.ExpiresAt);
    }

    [Fact]
    public void An_expired_assertion_is_rejected_after_the_clock_skew()
    {
        var token = Codec().Mint("shop-a", [Scopes.CatalogRead], "key-1", lifetime: TimeSpan.FromSeconds(60));

        _time.Advance(TimeSpan.FromSeconds(80)); // inside the 30 s skew
        Assert.True(Codec().TryVerify(token, out _, out _));

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(Codec().TryVerify(token, out _, out var failure));
        Assert.Contains("expired", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_the_tenant_in_the_payload_breaks_the_signature()
    {
        var token = Codec().Mint("shop-a", [Scopes.CatalogRead], "key-1");
        var parts = token.Split('.');
        var json = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("shop-a", "shop-b", StringComparison.Ordinal);
        var forged = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json))}.{parts[2]}";

        Assert.False(Codec().TryVerify(forged, out _, out var failure));
        Assert.Contains("signature", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assertion_signed_with_another_key_is_rejected()
    {
        var token = Codec(key: IdentityAssertionCodec.NewKey()).Mint("shop-a", [Scopes.CatalogRead], "key-1");

        Assert.False(Codec().TryVerify(token, out _, out var failure));
        Assert.Contains("signature", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_previous_key_still_verifies_during_a_rotation_but_never_signs()
    {
        var oldKey = IdentityAssertionCodec.NewKey();
        var signedWithOld = Codec(key: oldKey).Mint("shop-a", [Scopes.CatalogRead], "key-1");
        var rotating = Codec(previousKey: oldKey);

        Assert.True(rotating.TryVerify(signedWithOld, out _, out _));
        Assert.True(Codec().TryVerify(rotating.Mint("shop-a", [], "key-1"), out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1.abc")]
    [InlineData("v2.e30.AAAA")]
    [InlineData("v1.!!!.!!!")]
    [InlineData("v1.e30.AAAA.extra")]
    public void Malformed_tokens_are_rejected_without_throwing(string token)
    {
        Assert.False(Codec().TryVerify(token, out var assertion, out var failure));
        Assert.Null(assertion);
        Assert.NotEmpty(failure);
    }

    [Fact]
    public void A_correctly_signed_payload_that_is_not_an_assertion_is_malformed()
    {
        var signer = Codec();
        var body = System.Buffers.Text.Base64Url.EncodeToString("[1,2]"u8);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(Convert.FromBase64String(Key), Encoding.ASCII.GetBytes($"v1.{body}"));
        var token = $"v1.{body}.{System.Buffers.Text.Base64Url.EncodeToString(mac)}";

        Assert.False(signer.TryVerify(token, out _, out var failure));
        Assert.Contains("malformed", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_lived_assertion_is_rejected_even_when_signed()
    {
        var token = Codec().Mint("shop-a", [Scopes.CatalogRead], "key-1", lifetime: TimeSpan.FromHours(2));

        Assert.False(Codec().TryVerify(token, out _, out var failure));
        Assert.Contains("lifetime", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assertion_issued_in_the_future_is_rejected()
    {
        var early = new ManualTime(_time.GetUtcNow().AddMinutes(10));
        var token = new IdentityAssertionCodec(new IdentityOptions { SigningKey = Key }, early).Mint("shop-a", [], "key-1");

        Assert.False(Codec().TryVerify(token, out _, out _));
    }

    [Fact]
    public void A_service_with_an_audience_accepts_only_assertions_minted_for_it()
    {
        var forProfiles = Codec().Mint("shop-a", [Scopes.CatalogRead], "key-1", audience: "profiles");

        Assert.False(Codec(audience: "catalog").TryVerify(forProfiles, out _, out var failure));
        Assert.Contains("catalog", failure, StringComparison.Ordinal);
        Assert.True(Codec(audience: "profiles").TryVerify(forProfiles, out _, out _));
    }
}

internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
