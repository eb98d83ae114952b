using System.ComponentModel.DataAnnotations;

namespace MachCommerce.Catalog;

/// <summary>The catalog's schema and application role (see <see cref="ServiceDatabase"/>).</summary>
internal sealed class CatalogDatabase(NpgsqlDataSource dataSource) : ServiceDatabase(dataSource, Schema, ApplicationRole), ServiceDatabase.IDefinition
{
    public static string Schema => "catalog";
    public static string ApplicationRole => "catalog_app";

    /// <summary>
    /// For listing and search only, which are read-only and filter by tenant in one place (ProductQuery.Where).
    /// Under row-level security PostgreSQL may not evaluate operators that are not leakproof (full-text @@,
    /// trigram similarity, array and JSONB containment) before the policy, so it cannot use their GIN indexes and
    /// scans every row instead (measured: 59 ms instead of 12 ms for a three-word search at 100,000 products).
    /// These queries therefore run under the service's login, with the tenant filter as their one wall; every
    /// write and every read by id, SKU or slug keeps both walls.
    /// </summary>
    public Task<TenantScope> BeginSearchAsync(RequestIdentity identity, CancellationToken cancellationToken) =>
        BeginWithoutRowSecurityAsync(identity.TenantId, cancellationToken);

    /// <summary>
    /// For work that spans a cooperative's member shops, read-only: which members take a central product and how each
    /// uses the central assortment (counts), and the members' published products side by side (joint search). Row-level
    /// security would show one tenant's rows; these queries name their tenants in every statement, their one wall: the
    /// central tenant (<c>central_subscriptions.central_tenant</c>), or the member list the gateway sent with its own
    /// <see cref="Scopes.CatalogJoint"/>.
    /// </summary>
    public Task<TenantScope> BeginAcrossMembersAsync(string tenantId, CancellationToken cancellationToken) =>
        BeginWithoutRowSecurityAsync(tenantId, cancellationToken);
}

/// <summary>Catalog settings (<c>Catalog__*</c>).</summary>
public sealed class CatalogOptions
{
    public const string Section = "Catalog";

    /// <summary>The language a text falls back to when the requested one is missing.</summary>
    [RegularExpression("^(de|en)$")]
    public string DefaultLanguage { get; set; } = "de";

    /// <summary>Search in an in-memory index per tenant (see Search/SearchIndex.cs); false leaves all of search to PostgreSQL full text.</summary>
    public bool SearchIndex { get; set; } = true;

    /// <summary>
    /// How long a tenant's first search (on this replica) waits for its index to be built before PostgreSQL answers
    /// it instead. 2,000 products take well under this; 100,000 take a few seconds, which no shopper should wait.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SearchIndexWait { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>How one request wants products shown: its language and whether prices are for a business customer.</summary>
internal sealed record Presentation(string Language, string DefaultLanguage, bool BusinessCustomer, string? CustomerGroup)
{
    /// <summary>Every endpoint that shows products takes it.</summary>
    public static readonly QueryParameter Locale = new("locale", "string", "Language of the texts (de or en, or a locale of them); else Accept-Language, else the shop's default.");

    public static Presentation Of(HttpContext http, RequestIdentity identity, IOptions<CatalogOptions> options)
    {
        var requested = http.Request.Query["locale"].ToString();
        if (string.IsNullOrEmpty(requested))
        {
            requested = http.Request.GetTypedHeaders().AcceptLanguage.OrderByDescending(l => l.Quality ?? 1).Select(l => l.Value.Value).FirstOrDefault() ?? "";
        }

        var language = requested.Length >= 2 ? requested[..2].ToLowerInvariant() : options.Value.DefaultLanguage;
        // A customer group comes only from the signed assertion: B2B prices are never a client's own claim.
        return new Presentation(language, options.Value.DefaultLanguage, identity.CustomerGroup is not null, identity.CustomerGroup);
    }
}
