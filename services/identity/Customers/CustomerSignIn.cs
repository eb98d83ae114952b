using MachCommerce.Identity.Account;
using MachCommerce.Identity.Data;
using MachCommerce.Identity.Tokens;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace MachCommerce.Identity.Customers;

public static class CustomerSignIn
{
    /// <summary>The shopper's session at the identity service: a cookie of its own, apart from staff's, naming the account and its shop.</summary>
    public const string Scheme = "customer";

    /// <summary>The role a customer's access token carries: the gateway accepts it only as a customer token beside a storefront key.</summary>
    public const string Role = "customer";

    /// <summary>
    /// ASP.NET Core Identity a second time, for shoppers: the same password rules and lockout as staff (the options are
    /// shared), Identity's user-only store on the customer_accounts table, and the session in a cookie
    /// (<c>mach_customer</c>) that only this service reads.
    /// </summary>
    public static IServiceCollection AddCustomerAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<CustomerAccount>()
            .AddUserStore<Microsoft.AspNetCore.Identity.EntityFrameworkCore.UserOnlyStore<CustomerAccount, IdentityDb, Guid>>()
            .AddSignInManager()
            .AddPasswordValidator<PasswordRules>();
        services.RemoveAll<IUserValidator<CustomerAccount>>();
        services.AddScoped<IUserValidator<CustomerAccount>, CustomerAccountRules>();
        services.AddSingleton<CustomerShops>();
        services.AddAuthentication().AddCookie(Scheme, cookie => StaffSignIn.SessionCookie(cookie, "mach_customer"));
        return services;
    }

    /// <summary>The session cookie's content: the account and its shop (the store is read again on every use).</summary>
    public static Task SignInAsync(HttpContext http, CustomerAccount account)
    {
        var identity = new ClaimsIdentity(Scheme);
        identity.AddClaim(new Claim(Claims.Subject, account.Id.ToString()));
        identity.AddClaim(new Claim(TokenServer.TenantClaim, account.TenantId));
        identity.AddClaim(new Claim("stamp", account.SecurityStamp ?? ""));
        return http.SignInAsync(Scheme, new ClaimsPrincipal(identity));
    }

    /// <summary>The signed-in account of <paramref name="tenantId"/>, if the session is for that shop and still valid (not locked, password unchanged).</summary>
    public static async Task<CustomerAccount?> CurrentAsync(HttpContext http, UserManager<CustomerAccount> accounts, string tenantId)
    {
        var session = await http.AuthenticateAsync(Scheme);
        if (!session.Succeeded || session.Principal.FindFirstValue(TokenServer.TenantClaim) != tenantId
            || await accounts.FindByIdAsync(session.Principal.FindFirstValue(Claims.Subject) ?? "") is not { } account
            || account.TenantId != tenantId || await accounts.IsLockedOutAsync(account)
            || session.Principal.FindFirstValue("stamp") != (account.SecurityStamp ?? ""))
        {
            return null;
        }

        return account;
    }

    /// <summary>
    /// A shopper's access token for the gateway: the account (<c>sub</c>), its shop (<c>ten</c>), the role
    /// <c>customer</c> and no management scope at all; the gateway links it to a profile of the shop.
    /// </summary>
    public static ClaimsPrincipal Principal(CustomerAccount account, IEnumerable<string> requested)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.Id.ToString());
        identity.SetClaim(Claims.Email, account.Email);
        identity.SetClaim(TokenServer.TenantClaim, account.TenantId);
        identity.SetClaim(Claims.Role, Role);
        identity.SetScopes(requested.Where(s => s is Scopes.OpenId or Scopes.OfflineAccess or Scopes.Email));
        identity.SetAudiences(TokenServer.GatewayAudience);
        identity.SetDestinations(claim => claim.Type is Claims.Subject or Claims.Email ? [Destinations.AccessToken, Destinations.IdentityToken] : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }
}
