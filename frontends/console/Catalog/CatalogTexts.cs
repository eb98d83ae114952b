using MachCommerce.Api.Catalog;
using MachCommerce.MerchantConsole.Localization;

namespace MachCommerce.MerchantConsole.Catalog;

public static class CatalogTexts
{
    public static string Status(string status, IStringLocalizer<ConsoleTexts> L) => status switch
    {
        "published" => L["veröffentlicht"],
        "draft" => L["Entwurf"],
        "archived" => L["archiviert"],
        _ => status,
    };

    /// <summary>The category tree as a list, each category with its depth (to indent it) and its path of names.</summary>
    public static IEnumerable<(CategoryView Category, int Depth, string Path)> Flatten(IEnumerable<CategoryView> roots, int depth = 0, string parentPath = "") =>
        roots.OrderBy(c => c.Position).SelectMany(category =>
        {
            var path = parentPath.Length == 0 ? Name(category) : $"{parentPath} › {Name(category)}";
            return Flatten(category.Children, depth + 1, path).Prepend((category, depth, path));
        });

    /// <summary>The category's name in the reader's language, else in German, else in any it has.</summary>
    public static string Name(CategoryView category) =>
        category.Name.TryGetValue(Platform.Texts.Language, out var own) ? own
        : category.Name.TryGetValue("de", out var german) ? german : category.Name.Values.FirstOrDefault() ?? category.Slug;

    /// <summary>Texts by language code, leaving out the languages without one.</summary>
    public static Dictionary<string, string> ByLanguage(params (string Language, string? Text)[] texts) =>
        texts.Where(t => !string.IsNullOrWhiteSpace(t.Text)).ToDictionary(t => t.Language, t => t.Text!.Trim());
}
