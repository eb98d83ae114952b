using MachCommerce.Identity.Tokens;

namespace MachCommerce.Identity.Customers;

/// <summary>
/// A shopper's account at one shop (for shops without a customer login of their own). The same address may have an
/// account at several shops, each with its own password: the user name is <c>{tenant}/{e-mail}</c>, unique, while
/// the e-mail is not unique across shops. The gateway links the account to a profile of the shop on first use.
/// </summary>
public sealed class CustomerAccount : IdentityUser<Guid>
{
    public string TenantId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public static string UserNameOf(string tenantId, string email) => $"{tenantId}/{email}";
}

/// <summary>The shops whose storefronts sign customers in here: those a registered front end names as its <see cref="FrontEndClient.Shop"/>.</summary>
public sealed class CustomerShops(IOptions<IdentityServerOptions> options)
{
    public bool Has(string tenantId) => options.Value.FrontEnds.Values.Any(f => f.Shop == tenantId);

    /// <summary>How the shop's storefront calls itself (its registered display name), for the pages' headings.</summary>
    public string NameOf(string tenantId) => options.Value.FrontEnds.Values.FirstOrDefault(f => f.Shop == tenantId)?.DisplayName is { Length: > 0 } name ? name : tenantId;

    public string? ShopOf(string? clientId) => clientId is not null && options.Value.FrontEnds.TryGetValue(clientId, out var client) ? client.Shop : null;
}

/// <summary>
/// Identity's own user check asks for e-mail addresses unique across all accounts (right for staff); a customer's
/// address is unique within the shop only, which the user name <c>{tenant}/{e-mail}</c> carries.
/// </summary>
public sealed class CustomerAccountRules : IUserValidator<CustomerAccount>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<CustomerAccount> manager, CustomerAccount user)
    {
        var owner = await manager.FindByNameAsync(user.UserName ?? "");
        return owner is not null && owner.Id != user.Id
            ? IdentityResult.Failed(new IdentityError { Code = "taken", Description = "This shop has an account with this e-mail address already." })
            : IdentityResult.Success;
    }
}
