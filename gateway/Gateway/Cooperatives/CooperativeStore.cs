using MachCommerce.Hosting.Data;
using Npgsql;

namespace MachCommerce.Gateway.Cooperatives;

/// <summary>What attaching a shop to a cooperative came to.</summary>
public enum Attachment
{
    Joined,
    AlreadyMember,
    NoSuchCooperative,
    NoSuchTenant,
    MemberElsewhere,
}

/// <summary>Cooperatives and who belongs to which, in the gateway's schema (the platform operator's registry).</summary>
public sealed class CooperativeStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>
    /// How long a shop's cooperative is believed without asking the database again: a cooperative's staff send many
    /// requests, and a detached shop must shut them out soon (at once on the instance that detached it).
    /// </summary>
    private static readonly TimeSpan MembershipLifetime = TimeSpan.FromSeconds(10);

    private readonly ExpiringCache<string> _cooperativeOf = new(20_000, time);

    /// <summary>The cooperative the shop is a member of ("" for none).</summary>
    public async Task<string> CooperativeOfAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_cooperativeOf.TryGet(tenantId, out var known))
        {
            return known;
        }

        var cooperative = (await dataSource.QueryAsync("SELECT cooperative_id FROM gateway.cooperative_members WHERE tenant_id = $1", reader => reader.GetString(0),
            cancellationToken, tenantId)).FirstOrDefault() ?? "";
        _cooperativeOf.Set(tenantId, cooperative, _cooperativeOf.Now + MembershipLifetime);
        return cooperative;
    }

    private const string Columns = "c.id, c.name, c.created_at, c.updated_at";

    /// <summary>Null when a cooperative with that id exists already.</summary>
    public async Task<CooperativeView?> CreateAsync(string id, string name, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"INSERT INTO gateway.cooperatives AS c (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING {Columns}",
            ReadCooperative, cancellationToken, id, name)).FirstOrDefault();

    public async Task<CooperativeView?> RenameAsync(string id, string name, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"UPDATE gateway.cooperatives AS c SET name = $2, updated_at = now() WHERE id = $1 RETURNING {Columns}",
            ReadCooperative, cancellationToken, id, name)).FirstOrDefault() is { } renamed
            ? renamed with { Members = await MembersAsync(id, cancellationToken) }
            : null;

    public async Task<CooperativeView?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await dataSource.QueryAsync($"SELECT {Columns} FROM gateway.cooperatives c WHERE c.id = $1", ReadCooperative, cancellationToken, id)).FirstOrDefault() is { } cooperative
            ? cooperative with { Members = await MembersAsync(id, cancellationToken) }
            : null;

    /// <summary>Cooperatives by id after the cursor, each with its members.</summary>
    public async Task<List<CooperativeView>> ListAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        var cooperatives = await dataSource.QueryAsync($"SELECT {Columns} FROM gateway.cooperatives c WHERE $1::text IS NULL OR c.id > $1 ORDER BY c.id LIMIT $2",
            ReadCooperative, cancellationToken, DataSourceQueries.Typed(after, NpgsqlTypes.NpgsqlDbType.Text), limit);
        var members = (await dataSource.QueryAsync($"{MemberQuery} WHERE m.cooperative_id = ANY($1) ORDER BY m.tenant_id",
            reader => (Cooperative: reader.GetString(4), Member: ReadMember(reader)), cancellationToken, (object)cooperatives.Select(c => c.Id).ToArray()))
            .ToLookup(row => row.Cooperative, row => row.Member);
        return [.. cooperatives.Select(c => c with { Members = [.. members[c.Id]] })];
    }

    /// <summary>
    /// Makes the shop a member in one statement: it says whether the cooperative and the shop exist and which
    /// cooperative, if any, the shop belonged to before (a shop is a member of one at most).
    /// </summary>
    public async Task<(Attachment Outcome, string? OtherCooperative)> AttachAsync(string cooperativeId, string tenantId, CancellationToken cancellationToken)
    {
        _cooperativeOf.Remove(tenantId);
        _members.Remove(cooperativeId);
        var row = (await dataSource.QueryAsync("""
            WITH c AS (SELECT id FROM gateway.cooperatives WHERE id = $1),
                 t AS (SELECT id FROM gateway.tenants WHERE id = $2),
                 joined AS (
                     INSERT INTO gateway.cooperative_members (tenant_id, cooperative_id) SELECT t.id, c.id FROM c, t
                     ON CONFLICT (tenant_id) DO NOTHING
                     RETURNING tenant_id)
            SELECT EXISTS (SELECT 1 FROM c), EXISTS (SELECT 1 FROM t), EXISTS (SELECT 1 FROM joined),
                   (SELECT cooperative_id FROM gateway.cooperative_members WHERE tenant_id = $2)
            """, reader => (Cooperative: reader.GetBoolean(0), Tenant: reader.GetBoolean(1), Joined: reader.GetBoolean(2), Before: reader.IsDBNull(3) ? null : reader.GetString(3)),
            cancellationToken, cooperativeId, tenantId))[0];
        return row switch
        {
            { Cooperative: false } => (Attachment.NoSuchCooperative, null),
            { Tenant: false } => (Attachment.NoSuchTenant, null),
            { Joined: true } => (Attachment.Joined, null),
            { Before: var before } when before == cooperativeId => (Attachment.AlreadyMember, null),
            { Before: var before } => (Attachment.MemberElsewhere, before),
        };
    }

    /// <summary>False when the shop is not a member of that cooperative.</summary>
    public async Task<bool> DetachAsync(string cooperativeId, string tenantId, CancellationToken cancellationToken)
    {
        _cooperativeOf.Remove(tenantId);
        _members.Remove(cooperativeId);
        return (await dataSource.QueryAsync("DELETE FROM gateway.cooperative_members WHERE cooperative_id = $1 AND tenant_id = $2 RETURNING tenant_id",
            reader => reader.GetString(0), cancellationToken, cooperativeId, tenantId)).Count > 0;
    }

    private const string MemberQuery = """
        SELECT m.tenant_id, t.name, t.status, m.joined_at, m.cooperative_id, m.street, m.postcode, m.city, m.latitude, m.longitude, m.product_url
          FROM gateway.cooperative_members m JOIN gateway.tenants t ON t.id = m.tenant_id
        """;

    private Task<List<CooperativeMemberView>> MembersAsync(string cooperativeId, CancellationToken cancellationToken) =>
        dataSource.QueryAsync($"{MemberQuery} WHERE m.cooperative_id = $1 ORDER BY m.tenant_id", ReadMember, cancellationToken, cooperativeId);

    private static CooperativeView ReadCooperative(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), [], reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3));

    private static CooperativeMemberView ReadMember(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(6) ? null : new MemberLocation(
            reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetDouble(8), reader.IsDBNull(9) ? null : reader.GetDouble(9), reader.IsDBNull(10) ? null : reader.GetString(10)));

    /// <summary>Where the member shop is (coordinates resolved already); false when it is not a member of that cooperative.</summary>
    public async Task<bool> SetLocationAsync(string cooperativeId, string tenantId, MemberLocation location, CancellationToken cancellationToken)
    {
        _members.Remove(cooperativeId);
        return (await dataSource.QueryAsync("""
            UPDATE gateway.cooperative_members SET street = $3, postcode = $4, city = $5, latitude = $6, longitude = $7, product_url = $8
             WHERE cooperative_id = $1 AND tenant_id = $2 RETURNING tenant_id
            """, reader => reader.GetString(0), cancellationToken, cooperativeId, tenantId,
            DataSourceQueries.Typed(location.Street, NpgsqlTypes.NpgsqlDbType.Text), location.Postcode!, DataSourceQueries.Typed(location.City, NpgsqlTypes.NpgsqlDbType.Text),
            location.Latitude!.Value, location.Longitude!.Value, DataSourceQueries.Typed(location.ProductUrl, NpgsqlTypes.NpgsqlDbType.Text))).Count > 0;
    }

    private readonly ExpiringCache<List<CooperativeMemberView>> _members = new(1_000, time);

    /// <summary>The cooperative's active member shops with their locations, for joint search (believed for the same time as a shop's cooperative).</summary>
    public async Task<List<CooperativeMemberView>> ActiveMembersAsync(string cooperativeId, CancellationToken cancellationToken)
    {
        if (_members.TryGet(cooperativeId, out var known))
        {
            return known;
        }

        var members = (await MembersAsync(cooperativeId, cancellationToken)).Where(m => m.Status == "active").ToList();
        _members.Set(cooperativeId, members, _members.Now + MembershipLifetime);
        return members;
    }
}
