using MachCommerce.Catalog.Products;
using MassTransit;

namespace MachCommerce.Catalog.CentralAssortment;

/// <summary>
/// A change of a central product (the catalog's own events, from a cooperative's central level) reaches every
/// member shop that takes it: each member's copy is rebuilt with its overrides, added, or removed. Events of
/// ordinary shops pass through untouched. Rebuilding reads the central product as it is now, so events that
/// arrive twice or out of order come to the same result: so no inbox is kept, and the many events of ordinary
/// shops cost a look at their tenant id and nothing else.
/// </summary>
internal sealed class CentralChangeConsumer(CatalogDatabase database, CentralSync sync)
    : IConsumer<ProductPublished>, IConsumer<ProductChanged>, IConsumer<ProductArchived>
{
    public Task Consume(ConsumeContext<ProductPublished> context) => SpreadAsync(context.Message.TenantId, context.Message.Product.ProductId, context.CancellationToken);

    public Task Consume(ConsumeContext<ProductChanged> context) => SpreadAsync(context.Message.TenantId, context.Message.Product.ProductId, context.CancellationToken);

    public Task Consume(ConsumeContext<ProductArchived> context) => SpreadAsync(context.Message.TenantId, context.Message.ProductId, context.CancellationToken);

    private async Task SpreadAsync(string tenantId, Guid productId, CancellationToken cancellationToken)
    {
        if (!CooperativeTenants.IsCentral(tenantId))
        {
            return;
        }

        Guid[] categoryPath;
        await using (var central = await database.BeginAsync(tenantId, cancellationToken))
        {
            categoryPath = (await ProductStore.FindAsync(central, "id", productId, null, cancellationToken))?.CategoryPath ?? [];
        }

        var members = new List<string>();
        await using (var across = await database.BeginAcrossMembersAsync(tenantId, cancellationToken))
        {
            await using var command = across.Command("""
                SELECT tenant_id FROM central_subscriptions
                 WHERE central_tenant = $1 AND ((kind = 'product' AND central_id = $2) OR (kind = 'category' AND central_id = ANY($3)))
                UNION
                SELECT p.tenant_id FROM products p
                 WHERE p.central_id = $2 AND p.tenant_id IN (SELECT tenant_id FROM central_subscriptions WHERE central_tenant = $1)
                """);
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = productId });
            command.Parameters.Add(new() { Value = categoryPath });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                members.Add(reader.GetString(0));
            }
        }

        var tree = members.Count > 0 ? await CentralTree.LoadAsync(database, tenantId, cancellationToken) : null;
        foreach (var member in members)
        {
            await sync.SyncAsync<object>(member, tenantId, [productId], _ => Task.FromResult<object?>(null), cancellationToken, tree);
        }
    }
}
