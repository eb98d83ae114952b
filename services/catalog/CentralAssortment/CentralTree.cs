using MachCommerce.Catalog.Categories;

namespace MachCommerce.Catalog.CentralAssortment;

/// <summary>The central assortment's category tree, read once for one piece of work.</summary>
internal sealed class CentralTree
{
    private readonly List<CategoryView> _all;
    private readonly ILookup<Guid?, CategoryView> _byParent;

    private CentralTree(List<CategoryView> all)
    {
        _all = all;
        _byParent = all.ToLookup(c => c.ParentId);
    }

    public static async Task<CentralTree> LoadAsync(CatalogDatabase database, string centralTenant, CancellationToken cancellationToken)
    {
        await using var central = await database.BeginAsync(centralTenant, cancellationToken);
        return new CentralTree(await CategoriesApi.AllAsync(central, cancellationToken));
    }

    public CategoryView? Find(Guid id) => _all.Find(c => c.Id == id);

    /// <summary>The categories and all their descendants.</summary>
    public HashSet<Guid> Subtrees(IEnumerable<Guid> roots)
    {
        var covered = new HashSet<Guid>();
        var pending = new Stack<Guid>(roots.Where(id => Find(id) is not null));
        while (pending.TryPop(out var id))
        {
            if (covered.Add(id))
            {
                foreach (var child in _byParent[id])
                {
                    pending.Push(child.Id);
                }
            }
        }

        return covered;
    }

    /// <summary>Every category after its parent.</summary>
    public IEnumerable<CategoryView> TopDown()
    {
        var level = _byParent[null].ToList();
        while (level.Count > 0)
        {
            foreach (var category in level)
            {
                yield return category;
            }

            level = [.. level.SelectMany(c => _byParent[c.Id])];
        }
    }

    public List<CategoryView> Roots() => CategoriesApi.Build(_byParent, null);
}
