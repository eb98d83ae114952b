using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MachCommerce.Hosting.Identity;

/// <summary>
/// Authenticates a request by the gateway's signed identity assertion and nothing else. A missing, forged or
/// expired assertion is a 401 with a ProblemDetails body that says which.
/// </summary>
public sealed class IdentityAssertionAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IdentityAssertionCodec codec,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "IdentityAssertion";
    public const string ScopeClaim = "scope";
    public const string TenantClaim = "tenant";

    private string? _failure;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(IdentityAssertionCodec.HeaderName, out var values) || values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        // A client library joins repeated headers with commas; a token never contains one.
        if (values.Count > 1 || values[0]!.Contains(',', StringComparison.Ordinal))
        {
            _failure = "More than one identity assertion was sent.";
            return Task.FromResult(AuthenticateResult.Fail(_failure));
        }

        if (!codec.TryVerify(values[0], out var assertion, out var failure))
        {
            _failure = failure;
            return Task.FromResult(AuthenticateResult.Fail(_failure));
        }

        Context.Features.Set(assertion!);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, assertion!.Subject),
            new(TenantClaim, assertion.TenantId),
        };
        claims.AddRange(assertion.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = _failure ?? "The identity assertion is missing.",
            },
        }).AsTask();
    }
}
