using MachCommerce.Gateway.Callers;
using MachCommerce.Gateway.Identity;
using MachCommerce.Gateway.Services;

namespace MachCommerce.Gateway.Storefront;

/// <summary>The category tree of the shop, and every category by id (with its parent's id), loaded once per request.</summary>
internal sealed record CategoryIndex(IReadOnlyList<CategoryView> Roots, IReadOnlyDictionary<Guid, CategoryView> ById);

/// <summary>
/// What the resolvers of one GraphQL request share: the caller, the language, and what more than one field needs
/// (the category tree, the signed-in customer's profile), each fetched at most once.
/// </summary>
internal sealed class StorefrontRequest(Caller caller, string locale, ServiceCalls services, Cooperatives.JointSearch joint)
{
    private readonly Lock _lock = new();
    private Task<CategoryIndex>? _categories;
    private Task<JsonElement?>? _profile;

    public Caller Caller { get; } = caller;

    /// <summary>de or en: from Accept-Language, else the shop's default (the services fall back the same way).</summary>
    public string Locale { get; } = locale;

    public ServiceCalls Services { get; } = services;

    /// <summary>The cooperative's joint search, for the joint fields.</summary>
    public Cooperatives.JointSearch Joint { get; } = joint;

    public static StorefrontRequest Of(ResolveContext context) => (StorefrontRequest)context.Context!;

    public Task<CategoryIndex> CategoriesAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _categories ??= LoadCategoriesAsync(cancellationToken);
        }
    }

    /// <summary>The signed-in customer's profile (null when none is signed in or the profile is gone).</summary>
    public Task<JsonElement?> ProfileAsync(CancellationToken cancellationToken)
    {
        if (Caller.ProfileId is null)
        {
            return Task.FromResult<JsonElement?>(null);
        }

        lock (_lock)
        {
            return _profile ??= Services.GetAsync(Caller, "profiles", $"profiles/{Caller.ProfileId}", cancellationToken, [Scopes.ProfilesRead]);
        }
    }

    /// <summary>Products by id through the request's data loader: however many fields ask, one batch call per round.</summary>
    public async Task<ProductView?> ProductAsync(ResolveContext context, Guid productId) => await ProductLoader(context).LoadAsync(productId);

    private DataLoader<Guid, ProductView> ProductLoader(ResolveContext context) =>
        context.DataLoaders.Get<Guid, ProductView>("catalog.products", async (ids, cancellationToken) =>
        {
            var found = new Dictionary<Guid, ProductView>();
            foreach (var chunk in ids.Distinct().Chunk(100))
            {
                var answer = await Services.SendJsonAsync(Caller, "catalog", HttpMethod.Post, "products/batch-get", new BatchGetRequest([.. chunk]), ServiceJson.Default.BatchGetResponse,
                    cancellationToken, read: true, locale: Locale);
                foreach (var item in answer?.Items ?? [])
                {
                    found[item.Id] = item;
                }
            }

            return found;
        });

    private async Task<CategoryIndex> LoadCategoriesAsync(CancellationToken cancellationToken)
    {
        var roots = await Services.GetAsync(Caller, "catalog", "categories", ServiceJson.Default.ListCategoryView, cancellationToken, locale: Locale) ?? [];
        var byId = new Dictionary<Guid, CategoryView>();
        var pending = new Stack<CategoryView>(roots);
        while (pending.TryPop(out var category))
        {
            byId[category.Id] = category;
            foreach (var child in category.Children)
            {
                pending.Push(child);
            }
        }

        return new CategoryIndex(roots, byId);
    }
}
