using MachCommerce.Identity.Account;
using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Customers;
using MachCommerce.Identity.Staff;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace MachCommerce.Identity.Data;

/// <summary>
/// The identity service's database: OpenIddict's applications, authorizations, scopes and tokens and the shops'
/// audit log, in the
/// <c>identity</c> schema with snake_case names like every other service's tables. The schema itself comes from
/// the versioned SQL scripts in Migrations/ (applied at start like everywhere else); a test holds them to this model.
/// </summary>
public sealed class IdentityDb(DbContextOptions<IdentityDb> options) : IdentityUserContext<StaffUser, Guid>(options)
{
    public const string Schema = "identity";

    public DbSet<ClientApplication> Applications => Set<ClientApplication>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        var model = builder;
        model.HasDefaultSchema(Schema);
        model.UseOpenIddict<ClientApplication, ClientAuthorization, ClientScope, ClientToken, Guid>();
        model.Entity<ClientApplication>(application =>
        {
            application.ToTable("applications", table => table.HasCheckConstraint("ck_applications_rate_plan",
                "rate_per_second BETWEEN 1 AND 50000 AND burst BETWEEN rate_per_second AND 100000 OR tenant_id IS NULL"));
            application.Property(a => a.TenantId).HasMaxLength(63);
            application.Property(a => a.CreatedBy).HasMaxLength(200);
            application.HasIndex(a => new { a.TenantId, a.Id });
        });
        model.Entity<AuditEntry>(entry =>
        {
            entry.ToTable("audit_log");
            entry.Property(e => e.TenantId).HasMaxLength(63);
            entry.Property(e => e.Actor).HasMaxLength(200);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.ClientId).HasMaxLength(100);
            entry.Property(e => e.Address).HasMaxLength(64);
            entry.Property(e => e.Detail).HasMaxLength(500);
            entry.HasIndex(e => new { e.TenantId, e.Id });
        });
        model.Entity<StaffUser>().ToTable("staff_users");
        model.Entity<IdentityUserClaim<Guid>>().ToTable("staff_user_claims");
        model.Entity<IdentityUserLogin<Guid>>().ToTable("staff_user_logins");
        model.Entity<IdentityUserToken<Guid>>().ToTable("staff_user_tokens");
        model.Entity<Membership>(membership =>
        {
            membership.ToTable("memberships", table => table.HasCheckConstraint("ck_memberships_role", "role IN ('owner', 'marketing', 'catalog', 'support', 'read-only')"));
            membership.HasKey(m => new { m.UserId, m.TenantId });
            membership.Property(m => m.TenantId).HasMaxLength(63);
            membership.Property(m => m.Role).HasMaxLength(20);
            membership.Property(m => m.CreatedBy).HasMaxLength(200);
            membership.HasOne<StaffUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            membership.HasIndex(m => new { m.TenantId, m.UserId });
        });
        model.Entity<CooperativeMembership>(membership =>
        {
            membership.ToTable("cooperative_memberships", table => table.HasCheckConstraint("ck_cooperative_memberships_role", "role IN ('owner', 'marketing', 'catalog', 'support', 'read-only')"));
            membership.HasKey(m => new { m.UserId, m.CooperativeId });
            membership.Property(m => m.CooperativeId).HasMaxLength(63);
            membership.Property(m => m.Role).HasMaxLength(20);
            membership.Property(m => m.CreatedBy).HasMaxLength(200);
            membership.HasOne<StaffUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            membership.HasIndex(m => new { m.CooperativeId, m.UserId });
        });
        model.Entity<PlatformOperator>(platformOperator =>
        {
            platformOperator.ToTable("platform_operators");
            platformOperator.HasKey(o => o.UserId);
            platformOperator.Property(o => o.CreatedBy).HasMaxLength(200);
            platformOperator.HasOne<StaffUser>().WithOne().HasForeignKey<PlatformOperator>(o => o.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<Invitation>(invitation =>
        {
            invitation.ToTable("invitations");
            invitation.Property(i => i.TenantId).HasMaxLength(63);
            invitation.Property(i => i.CreatedBy).HasMaxLength(200);
            invitation.HasIndex(i => i.TokenHash).IsUnique();
            invitation.HasOne<StaffUser>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ShopSecurity>(security =>
        {
            security.ToTable("shop_security");
            security.HasKey(s => s.TenantId);
            security.Property(s => s.TenantId).HasMaxLength(63);
            security.Property(s => s.UpdatedBy).HasMaxLength(200);
        });
        model.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_keys");
            key.Property(k => k.FriendlyName).HasMaxLength(200);
        });
        model.Entity<CustomerAccount>(account =>
        {
            // Identity's user columns as for staff (its user-only store reads and writes them), in a table of their own.
            account.ToTable("customer_accounts");
            account.HasKey(a => a.Id);
            account.Property(a => a.TenantId).HasMaxLength(63);
            account.Property(a => a.UserName).HasMaxLength(320);
            account.Property(a => a.NormalizedUserName).HasMaxLength(320);
            account.Property(a => a.Email).HasMaxLength(256);
            account.Property(a => a.NormalizedEmail).HasMaxLength(256);
            account.Property(a => a.ConcurrencyStamp).IsConcurrencyToken();
            account.HasIndex(a => a.NormalizedUserName).IsUnique();
            account.HasIndex(a => new { a.TenantId, a.NormalizedEmail });
        });
        model.Entity<ClientAuthorization>().ToTable("authorizations");
        model.Entity<ClientScope>().ToTable("scopes");
        model.Entity<ClientToken>().ToTable("tokens");

        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(SnakeCase(index.GetDatabaseName() ?? ""));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(SnakeCase(key.GetName() ?? ""));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(SnakeCase(foreignKey.GetConstraintName() ?? ""));
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}

/// <summary>
/// An OpenID Connect client. A partner's client belongs to one tenant (<see cref="TenantId"/>) and acts only in it;
/// the platform's own front ends (the console, storefront starters) will have none.
/// </summary>
public sealed class ClientApplication : OpenIddictEntityFrameworkCoreApplication<Guid, ClientAuthorization, ClientToken>
{
    public string? TenantId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public DateTimeOffset SecretRotatedAt { get; set; }

    /// <summary>The rate limit the gateway applies to the client's requests: tokens per second and burst, as a partner key's.</summary>
    public int RatePerSecond { get; set; }

    public int Burst { get; set; }
}

public sealed class ClientAuthorization : OpenIddictEntityFrameworkCoreAuthorization<Guid, ClientApplication, ClientToken>;

public sealed class ClientScope : OpenIddictEntityFrameworkCoreScope<Guid>;

public sealed class ClientToken : OpenIddictEntityFrameworkCoreToken<Guid, ClientApplication, ClientAuthorization>;
