using MachCommerce.Identity.Data;

namespace MachCommerce.Identity.Audit;

/// <summary>What happened to a shop's access, as its owner reads it: who did what to which client, and when.</summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; }

    public string TenantId { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary>Who acted: the caller's subject (key:…, client:…) or, for a refused token request, the client id it named.</summary>
    public string Actor { get; set; } = "";

    public string Action { get; set; } = "";

    /// <summary>The client acted on.</summary>
    public string? ClientId { get; set; }

    /// <summary>The address the request came from, as the gateway saw it.</summary>
    public string? Address { get; set; }

    public string? Detail { get; set; }
}

/// <summary>An entry as the owner sees it.</summary>
public sealed record AuditEntryView(Guid Id, DateTimeOffset At, string Actor, string Action, string? ClientId, string? Address, string? Detail);

public sealed record AuditPage(IReadOnlyList<AuditEntryView> Items, string? NextCursor);

/// <summary>
/// The shop's audit log. An entry is added to the same unit of work as the change it records, so the change and its
/// entry are saved together (OpenIddict's store saves the context the entry waits in) or not at all.
/// </summary>
public sealed class AuditLog(IdentityDb db, TimeProvider time, IHttpContextAccessor http)
{
    public static class Actions
    {
        public const string ClientCreated = "client.created";
        public const string SecretRotated = "client.secret_rotated";
        public const string KeysReplaced = "client.keys_replaced";
        public const string ClientDeleted = "client.deleted";
        public const string TokenRefused = "client.token_refused";
        public const string StaffInvited = "staff.invited";
        public const string StaffJoined = "staff.joined";
        public const string StaffRemoved = "staff.removed";
        public const string SignedIn = "staff.signed_in";
        public const string SignInFailed = "staff.sign_in_failed";
        public const string PasswordResetRequested = "staff.password_reset_requested";
        public const string PasswordReset = "staff.password_reset";
        public const string TwoFactorEnabled = "staff.two_factor_enabled";
        public const string TwoFactorDisabled = "staff.two_factor_disabled";
        public const string TwoFactorRequired = "shop.two_factor_required";
        public const string TwoFactorOptional = "shop.two_factor_optional";
    }

    /// <summary>Adds an entry to the pending changes; the caller's save writes it.</summary>
    public void Add(string tenantId, string actor, string action, string? clientId, string? detail = null) =>
        db.Add(new AuditEntry
        {
            Id = Guid.CreateVersion7(), TenantId = tenantId, At = time.GetUtcNow(), Actor = actor, Action = action, ClientId = clientId,
            Address = ClientAddress(), Detail = detail,
        });

    /// <summary>Saves the entries added so far.</summary>
    public Task SaveAsync(CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);

    /// <summary>Adds and saves an entry that records no change of ours (a refused request).</summary>
    public async Task RecordAsync(string tenantId, string actor, string action, string? clientId, string? detail, CancellationToken cancellationToken)
    {
        Add(tenantId, actor, action, clientId, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>How often <paramref name="actor"/> did <paramref name="action"/> in the shop within the last <paramref name="window"/>.</summary>
    public Task<int> CountSinceAsync(string tenantId, string actor, string action, TimeSpan window, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - window;
        return db.Set<AuditEntry>().AsNoTracking().CountAsync(e => e.TenantId == tenantId && e.Actor == actor && e.Action == action && e.At > since, cancellationToken);
    }

    /// <summary>Newest first; the cursor is the last id of the previous page.</summary>
    public async Task<AuditPage> ReadAsync(string tenantId, Guid? before, int limit, CancellationToken cancellationToken)
    {
        var query = db.Set<AuditEntry>().AsNoTracking().Where(e => e.TenantId == tenantId);
        if (before is { } cursor)
        {
            query = query.Where(e => e.Id < cursor);
        }

        var page = await query.OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return new AuditPage([.. page.Take(limit).Select(e => new AuditEntryView(e.Id, e.At, e.Actor, e.Action, e.ClientId, e.Address, e.Detail))],
            page.Count > limit ? page[limit - 1].Id.ToString() : null);
    }

    /// <summary>
    /// The gateway's view of the client (it sets X-Forwarded-For to the address it saw; nobody else reaches this
    /// service), else the connection's own.
    /// </summary>
    private string? ClientAddress()
    {
        var request = http.HttpContext?.Request;
        var forwarded = request?.Headers["X-Forwarded-For"].ToString();
        return !string.IsNullOrEmpty(forwarded) ? forwarded.Split(',')[^1].Trim() : http.HttpContext?.Connection.RemoteIpAddress?.ToString();
    }
}
