using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MachCommerce.Hosting.Identity;

/// <summary>
/// Authenticates a request by its identity assertion and nothing else: JwtBearer, reading the assertion header
/// (never <c>Authorization</c>), validating with <see cref="IdentityAssertionCodec.ValidationParameters"/>. A
/// missing, forged, expired or misdirected assertion is a 401 with a ProblemDetails body that says which.
/// </summary>
public static class IdentityAssertionAuthentication
{
    public const string SchemeName = "IdentityAssertion";
    public const string ScopeClaim = "scope";
    public const string TenantClaim = "tenant";

    internal static void Configure(JwtBearerOptions options, IdentityAssertionCodec codec)
    {
        options.TokenValidationParameters = codec.ValidationParameters;
        options.MapInboundClaims = false;
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                var values = context.Request.Headers[IdentityAssertionCodec.HeaderName];
                if (values.Count == 0)
                {
                    context.NoResult();
                }
                // A client library joins repeated headers with commas; a token never contains one.
                else if (values.Count > 1 || values[0]!.Contains(',', StringComparison.Ordinal))
                {
                    context.Fail("More than one identity assertion was sent.");
                }
                else if (codec.TryRecall(values[0]!, out var known))
                {
                    Accept(context.HttpContext, known);
                    context.Principal = Principal(known);
                    context.Success();
                }
                else
                {
                    context.Token = values[0];
                }

                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                var verification = codec.Read((JsonWebToken)context.SecurityToken);
                if (verification.Assertion is not { } assertion)
                {
                    context.Fail(verification.Failure);
                    return Task.CompletedTask;
                }

                codec.Remember(((JsonWebToken)context.SecurityToken).EncodedToken, assertion);
                Accept(context.HttpContext, assertion);
                context.Principal = Principal(assertion);
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var detail = context.AuthenticateFailure switch
                {
                    null => "The identity assertion is missing.",
                    Microsoft.IdentityModel.Tokens.SecurityTokenException or AggregateException or ArgumentException => codec.Describe(context.AuthenticateFailure),
                    var failure => failure.Message, // our own words, from Fail above
                };
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail },
                });
            },
        };
    }

    private static void Accept(HttpContext http, IdentityAssertion assertion) => http.Features.Set(assertion);

    private static ClaimsPrincipal Principal(IdentityAssertion assertion)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, assertion.Subject), new(TenantClaim, assertion.TenantId) };
        claims.AddRange(assertion.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }
}
