using MachCommerce.Client.Admin;
using MachCommerce.Client.Catalog;
using MachCommerce.Client.Identity;
using MachCommerce.Client.Personalization;
using MachCommerce.Client.Profiles;
using MachCommerce.Client.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace MachCommerce.Client;

/// <summary>
/// The client without a host of one's own (a console tool, a script): the same registrations as
/// <see cref="MachCommerceClientServiceCollectionExtensions.AddMachCommerceClient"/>, in a container it owns.
/// Make one per platform and credential and keep it; dispose it at the end.
/// </summary>
public sealed class MachCommerceClient : IDisposable
{
    private readonly ServiceProvider _services;

    private MachCommerceClient(ServiceProvider services) => _services = services;

    public ICatalogApi Catalog => _services.GetRequiredService<ICatalogApi>();

    /// <summary>Categories, price lists and search.</summary>
    public ICatalogStructureApi CatalogStructure => _services.GetRequiredService<ICatalogStructureApi>();

    /// <summary>The cooperative's central assortment, as a member shop takes it.</summary>
    public ICentralAssortmentApi CentralAssortment => _services.GetRequiredService<ICentralAssortmentApi>();

    public ICentralCampaignsApi CentralCampaigns => _services.GetRequiredService<ICentralCampaignsApi>();

    public IProfilesApi Profiles => _services.GetRequiredService<IProfilesApi>();

    /// <summary>A customer's consents, linked visitors, GDPR export and erasure.</summary>
    public IProfileRightsApi ProfileRights => _services.GetRequiredService<IProfileRightsApi>();

    public IWebhooksApi Webhooks => _services.GetRequiredService<IWebhooksApi>();

    public IPersonalizationApi Personalization => _services.GetRequiredService<IPersonalizationApi>();

    /// <summary>The gateway's admin API: keys and customer tokens.</summary>
    public IGatewayAdminApi Admin => _services.GetRequiredService<IGatewayAdminApi>();

    /// <summary>The shop's staff: invite, list, remove (the owner's right).</summary>
    public IStaffApi Staff => _services.GetRequiredService<IStaffApi>();

    /// <summary>The shop's partner clients (OAuth client credentials): create, list, rotate, delete (the owner's right).</summary>
    public IPartnerClientsApi PartnerClients => _services.GetRequiredService<IPartnerClientsApi>();

    public static MachCommerceClient Create(Action<MachCommerceClientOptions> configure) =>
        new(new ServiceCollection().AddMachCommerceClient(configure).BuildServiceProvider());

    public void Dispose() => _services.Dispose();
}
