namespace MachCommerce.Hosting.Identity;

/// <summary>
/// The verified identity of the current request, bindable as a handler parameter. The tenant comes from the
/// signed assertion only, so a handler cannot accidentally take it from a client header or the body.
/// </summary>
public sealed record RequestIdentity(IdentityAssertion Assertion) : IEndpointParameterMetadataProvider
{
    public string TenantId => Assertion.TenantId;

    public string? ProfileId => Assertion.ProfileId;

    public string? VisitorId => Assertion.VisitorId;

    public string? CustomerGroup => Assertion.CustomerGroup;

    /// <summary>The cooperative the tenant belongs to (or whose central assortment it is); null for a shop on its own.</summary>
    public string? Cooperative => Assertion.Cooperative;

    public static ValueTask<RequestIdentity?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<RequestIdentity?>(context.Features.Get<IdentityAssertion>() is { } assertion
            ? new RequestIdentity(assertion)
            : throw new InvalidOperationException("RequestIdentity was bound on an endpoint that allows anonymous requests."));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        // Binding the identity implies the endpoint needs one, even if someone forgets RequireScope.
        builder.Metadata.Add(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute());
    }
}
