using MachCommerce.Personalization.Subjects;

namespace MachCommerce.Personalization.Decisions;

/// <summary>The reasons in German and English. "du" is the usual form of address in German shops.</summary>
internal static class Reasons
{
    public static Reason Viewed(RecentItem item, DateTimeOffset now, bool german)
    {
        var age = now - item.At;
        var when = age < TimeSpan.FromDays(1) ? (german ? "heute" : "today") : age < TimeSpan.FromDays(7) ? (german ? "diese Woche" : "this week") : (german ? "kürzlich" : "recently");
        return new("viewed", german ? $"Weil du dir {when} {item.Name} angesehen hast" : $"Because you looked at {item.Name} {when}", item.ProductId);
    }

    public static Reason Carted(RecentItem item, bool german) =>
        new("in_cart", german ? $"Weil {item.Name} in deinem Warenkorb liegt" : $"Because {item.Name} is in your cart", item.ProductId);

    public static Reason Purchased(RecentItem item, bool german) =>
        new("purchased", german ? $"Passend zu deinem Kauf: {item.Name}" : $"To go with your purchase of {item.Name}", item.ProductId);

    public static Reason Brand(string brand, bool german) => new("brand", german ? $"Weil du {brand} magst" : $"Because you like {brand}");

    public static Reason Context(string name, Guid productId, bool german) => new("context", german ? $"Passend zu {name}" : $"Goes well with {name}", productId);

    public static Reason ViewedTogether(string name, Guid productId, bool german) =>
        new("viewed_together", german ? $"Kunden, die sich {name} angesehen haben, interessierten sich auch dafür" : $"Customers who looked at {name} were also interested in this", productId);

    public static Reason BoughtTogether(string name, Guid productId, bool german) =>
        new("bought_together", german ? $"Wird oft zusammen mit {name} gekauft" : $"Often bought together with {name}", productId);

    public static Reason PickedForYou(bool german) => new("segment", german ? "Ausgewählt für dich" : "Picked for you");

    public static Reason PopularInCategory(bool german) => new("popular_in_category", german ? "Beliebt in dieser Kategorie" : "Popular in this category");

    public static Reason Popular(bool german) => new("popular", german ? "Gerade besonders beliebt" : "Popular right now");

    public static Reason CurrentOffer(bool german) => new("offer", german ? "Unser aktuelles Angebot" : "Our current offer");
}
