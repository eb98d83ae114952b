using MachCommerce.Hosting.Data;
using MachCommerce.Hosting.Identity;
using Npgsql;

namespace MachCommerce.Profiles;

/// <summary>Opens the profiles service's tenant-scoped transactions (see <see cref="TenantScope"/>).</summary>
public sealed class ProfilesDatabase(NpgsqlDataSource dataSource)
{
    public const string Schema = "profiles";
    public const string ApplicationRole = "profiles_app";

    internal Task<TenantScope> BeginAsync(RequestIdentity identity, CancellationToken cancellationToken) =>
        TenantScope.BeginAsync(dataSource, identity.TenantId, ApplicationRole, Schema, cancellationToken);
}
