using System.Xml.Linq;
using MachCommerce.Identity.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace MachCommerce.Identity.Account;

/// <summary>A key of ASP.NET Core's data protection (it protects the sign-in and antiforgery cookies), as XML.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public string Xml { get; set; } = "";
}

/// <summary>
/// Data protection's keys in this service's database, so every replica reads the cookies another one wrote and a
/// restart signs nobody out (the default keeps them in memory per process). The database holds them as it holds the
/// password hashes: access to it is access to the service.
/// </summary>
public sealed class DataProtectionKeys(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        return [.. scope.ServiceProvider.GetRequiredService<IdentityDb>().Set<DataProtectionKey>().Select(k => k.Xml).AsEnumerable().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        db.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

public static class DatabaseDataProtection
{
    public static IServiceCollection AddDatabaseDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("mach-commerce-identity");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new DataProtectionKeys(sp.GetRequiredService<IServiceScopeFactory>())));
        return services;
    }
}
