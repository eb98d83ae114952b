using MachCommerce.Hosting.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace MachCommerce.Profiles.Tests;

/// <summary>
/// A real HTTP server on loopback standing in for a data holder that does not exist yet in this repository:
/// it serves its part of an export, and only to a caller with a valid gdpr:export assertion for itself.
/// </summary>
public sealed class DataHolderDouble : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    /// <summary>When set, the next exports answer 500.</summary>
    public bool Failing { get; set; }

    /// <summary>How many of the next exports answer 503 before it answers again.</summary>
    public int StumbleTimes { get; set; }

    public List<string> AssertionsSeen { get; } = [];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        // It believes what personalization believes: profiles' key, for the GDPR export only.
        var settings = new ConfigurationBuilder().AddInMemoryCollection(TestIdentity.Settings("personalization")).Build();
        var codec = new IdentityAssertionCodec(settings.GetSection(IdentityOptions.Section).Get<IdentityOptions>()!);
        _app.MapGet("/gdpr/profiles/{id:guid}/export", async (Guid id, HttpContext http) =>
        {
            var (assertion, failure) = await codec.VerifyAsync(http.Request.Headers[IdentityAssertionCodec.HeaderName]);
            if (assertion is null || !assertion.HasScope(Scopes.GdprExport))
            {
                return Results.Problem(statusCode: 401, detail: failure);
            }

            AssertionsSeen.Add(assertion.TenantId);
            if (StumbleTimes > 0)
            {
                StumbleTimes--;
                return Results.Problem(statusCode: 503);
            }

            return Failing
                ? Results.Problem(statusCode: 500)
                : Results.Ok(new { affinities = new[] { new { category = "garten", score = 0.8 } }, events = 3, profileId = id, tenant = assertion.TenantId });
        });
        await _app.StartAsync();
        Address = new Uri(_app.Urls.First() + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
