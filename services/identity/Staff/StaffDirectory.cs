using MachCommerce.Identity.Audit;
using MachCommerce.Identity.Data;
using MachCommerce.Identity.Mail;

namespace MachCommerce.Identity.Staff;

/// <summary>
/// A shop's staff: memberships of people (one account, several shops possible), invited by the owner with a one-time
/// link to set a password (72 hours; only its hash is kept), mailed to them; without SMTP the link goes to the inviter
/// and the log.
/// </summary>
public sealed class StaffDirectory(IdentityDb db, UserManager<StaffUser> users, AuditLog audit, Mailer mailer, TimeProvider time, ILogger<StaffDirectory> logger)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromHours(72);

    /// <returns>Null when the address has an unaccepted invitation from another shop.</returns>
    public Task<StaffInvited?> InviteAsync(string tenantId, string email, string role, string invitedBy, Uri issuer, CancellationToken cancellationToken) =>
        InviteAsync(new Workplace(tenantId, null), email, role, invitedBy, issuer, cancellationToken);

    /// <summary>Invites a person into a cooperative's staff (the platform operator does, through the gateway).</summary>
    /// <returns>Null when the address has an unaccepted invitation from a shop or another cooperative.</returns>
    public Task<StaffInvited?> InviteToCooperativeAsync(string cooperativeId, string email, string role, string invitedBy, Uri issuer, CancellationToken cancellationToken) =>
        InviteAsync(new Workplace(null, cooperativeId), email, role, invitedBy, issuer, cancellationToken);

    /// <summary>Invites a person to operate the platform (managing tenants and cooperatives).</summary>
    public Task<StaffInvited?> InviteOperatorAsync(string email, string invitedBy, Uri issuer, CancellationToken cancellationToken) =>
        InviteAsync(new Workplace(null, null), email, StaffRoles.Operator, invitedBy, issuer, cancellationToken);

    /// <summary>Where a person is invited to work: a shop, a cooperative across its member shops, or (neither) the platform itself.</summary>
    private sealed record Workplace(string? TenantId, string? CooperativeId)
    {
        public string Name => TenantId is not null ? $"Shop {TenantId}" : CooperativeId is not null ? $"Verbund {CooperativeId}" : "Plattformbetrieb";

        public string NameEnglish => TenantId is not null ? $"the shop {TenantId}" : CooperativeId is not null ? $"the cooperative {CooperativeId}" : "the platform's operation";
    }

    private async Task<StaffInvited?> InviteAsync(Workplace place, string email, string role, string invitedBy, Uri issuer, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new StaffUser { Id = Guid.CreateVersion7(), UserName = email, Email = email };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
            }
        }

        // The link sets the account's password, and without a mail server it goes to the inviter: it must never let one
        // shop's owner take over an account another shop relies on. An account with a password only gets this shop
        // added (it signs in as it is); one that another shop (or cooperative) has invited and that has no password yet
        // cannot be invited here until that invitation is accepted, or that inviter could set the password for both.
        var active = user.PasswordHash is not null;
        if (!active && (await db.Set<Membership>().AnyAsync(m => m.UserId == user.Id && m.TenantId != place.TenantId, cancellationToken)
            || await db.Set<CooperativeMembership>().AnyAsync(m => m.UserId == user.Id && m.CooperativeId != place.CooperativeId, cancellationToken)
            || (place.TenantId is not null || place.CooperativeId is not null) && await db.Set<PlatformOperator>().AnyAsync(o => o.UserId == user.Id, cancellationToken)))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var view = place switch
        {
            { TenantId: { } tenantId } => await JoinShopAsync(user, tenantId, role, invitedBy, now, cancellationToken),
            { CooperativeId: { } cooperativeId } => await JoinCooperativeAsync(user, cooperativeId, role, invitedBy, now, cancellationToken),
            _ => await JoinPlatformAsync(user, invitedBy, now, cancellationToken),
        };
        if (place.TenantId is not null)
        {
            audit.Add(place.TenantId, invitedBy, AuditLog.Actions.StaffInvited, null, $"{email} as {role}{(active ? " (existing account)" : "")}");
        }

        if (active)
        {
            await db.SaveChangesAsync(cancellationToken);
            return new StaffInvited(view, null, null);
        }

        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expires = now + InvitationLifetime;
        db.Add(new Invitation { Id = Guid.CreateVersion7(), UserId = user.Id, TenantId = place.TenantId ?? "", TokenHash = Hash(token), ExpiresAt = expires, CreatedBy = invitedBy });
        var url = new Uri(issuer, $"account/invitation?token={token}").ToString();
        if (!mailer.Configured)
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Invitation for {Email} to {Place} as {Role}: {Url} (no mail server is configured; the inviter got the link)", email, place.NameEnglish, role, url);
            return new StaffInvited(view, url, expires);
        }

        // Kept only if the mail went out: an invitation nobody received would block the address for 72 hours.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await mailer.SendAsync(InvitationMail(email, place, role, url, expires), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Invitation for {Email} to {Place} as {Role} mailed", email, place.NameEnglish, role);
        return new StaffInvited(view, null, expires, Mailed: true);
    }

    private async Task<StaffView> JoinShopAsync(StaffUser user, string tenantId, string role, string invitedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var membership = await db.Set<Membership>().FindAsync([user.Id, tenantId], cancellationToken);
        if (membership is null)
        {
            membership = new Membership { UserId = user.Id, TenantId = tenantId, Role = role, CreatedAt = now, CreatedBy = invitedBy };
            db.Add(membership);
        }
        else
        {
            membership.Role = role;
        }

        return View(user, membership.Role, membership.CreatedAt, membership.CreatedBy);
    }

    private async Task<StaffView> JoinPlatformAsync(StaffUser user, string invitedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Set<PlatformOperator>().FindAsync([user.Id], cancellationToken) is not { } platformOperator)
        {
            platformOperator = new PlatformOperator { UserId = user.Id, CreatedAt = now, CreatedBy = invitedBy };
            db.Add(platformOperator);
        }

        return View(user, StaffRoles.Operator, platformOperator.CreatedAt, platformOperator.CreatedBy);
    }

    private async Task<StaffView> JoinCooperativeAsync(StaffUser user, string cooperativeId, string role, string invitedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var membership = await db.Set<CooperativeMembership>().FindAsync([user.Id, cooperativeId], cancellationToken);
        if (membership is null)
        {
            membership = new CooperativeMembership { UserId = user.Id, CooperativeId = cooperativeId, Role = role, CreatedAt = now, CreatedBy = invitedBy };
            db.Add(membership);
        }
        else
        {
            membership.Role = role;
        }

        return View(user, membership.Role, membership.CreatedAt, membership.CreatedBy);
    }

    private static Mail.Mail InvitationMail(string email, Workplace place, string role, string url, DateTimeOffset expires) => new(email,
        $"Einladung: {place.Name} / Invitation to {place.NameEnglish}",
        $"""
        Guten Tag,

        Sie sind eingeladen, im {place.Name} als {role} mitzuarbeiten. Legen Sie hier Ihr Passwort fest:

        {url}

        Der Link gilt einmal und bis {expires:yyyy-MM-dd HH:mm} UTC. Wenn Sie keine Einladung erwartet haben, ignorieren Sie diese Nachricht.

        ---

        Hello,

        you are invited to work in {place.NameEnglish} as {role}. Set your password here:

        {url}

        The link works once and until {expires:yyyy-MM-dd HH:mm} UTC. If you did not expect an invitation, ignore this message.
        """);

    /// <summary>The invitation a link names, if it is unused and not expired.</summary>
    public async Task<(Invitation Invitation, StaffUser User)?> FindInvitationAsync(string token, CancellationToken cancellationToken)
    {
        var hash = Hash(token);
        var invitation = await db.Set<Invitation>().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null || invitation.UsedAt is not null || invitation.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }

        // A link is for setting the first password only.
        return await users.FindByIdAsync(invitation.UserId.ToString()) is { PasswordHash: null } user ? (invitation, user) : null;
    }

    public async Task<IdentityResult> AcceptAsync(Invitation invitation, StaffUser user, string password, CancellationToken cancellationToken)
    {
        // An invitation sets the first password only; an account that has one is never changed by a link.
        if (await users.HasPasswordAsync(user))
        {
            return IdentityResult.Failed(new IdentityError { Code = "used", Description = "The account has a password already." });
        }

        var result = await users.AddPasswordAsync(user, password);
        if (!result.Succeeded)
        {
            return result;
        }

        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        invitation.UsedAt = time.GetUtcNow();
        if (invitation.TenantId.Length > 0)
        {
            audit.Add(invitation.TenantId, user.Email!, AuditLog.Actions.StaffJoined, null, user.Email);
        }

        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    public async Task<List<StaffView>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        await (from m in db.Set<Membership>().AsNoTracking()
               join u in db.Users.AsNoTracking() on m.UserId equals u.Id
               where m.TenantId == tenantId
               orderby u.Email
               select new StaffView(u.Id, u.Email!, m.Role, u.PasswordHash != null, m.CreatedAt, m.CreatedBy)).ToListAsync(cancellationToken);

    public async Task<bool> RemoveAsync(string tenantId, Guid userId, string removedBy, CancellationToken cancellationToken)
    {
        var membership = await db.Set<Membership>().FindAsync([userId, tenantId], cancellationToken);
        if (membership is null)
        {
            return false;
        }

        db.Remove(membership);
        audit.Add(tenantId, removedBy, AuditLog.Actions.StaffRemoved, null, userId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Records what happened to a person's account in the audit log of each shop they work in (each owner reads
    /// their own shop's log); <paramref name="memberships"/> when the caller has read them already.
    /// </summary>
    public async Task AuditInEveryShopAsync(Guid userId, string actor, string action, string? detail, CancellationToken cancellationToken,
        IReadOnlyList<Membership>? memberships = null)
    {
        foreach (var membership in memberships ?? await MembershipsAsync(userId, cancellationToken))
        {
            audit.Add(membership.TenantId, actor, action, null, detail);
        }

        await audit.SaveAsync(cancellationToken);
    }

    public async Task<List<StaffView>> ListCooperativeAsync(string cooperativeId, CancellationToken cancellationToken) =>
        await (from m in db.Set<CooperativeMembership>().AsNoTracking()
               join u in db.Users.AsNoTracking() on m.UserId equals u.Id
               where m.CooperativeId == cooperativeId
               orderby u.Email
               select new StaffView(u.Id, u.Email!, m.Role, u.PasswordHash != null, m.CreatedAt, m.CreatedBy)).ToListAsync(cancellationToken);

    public async Task<bool> RemoveFromCooperativeAsync(string cooperativeId, Guid userId, CancellationToken cancellationToken) =>
        await db.Set<CooperativeMembership>().Where(m => m.CooperativeId == cooperativeId && m.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;

    public async Task<List<StaffView>> ListOperatorsAsync(CancellationToken cancellationToken) =>
        await (from o in db.Set<PlatformOperator>().AsNoTracking()
               join u in db.Users.AsNoTracking() on o.UserId equals u.Id
               orderby u.Email
               select new StaffView(u.Id, u.Email!, StaffRoles.Operator, u.PasswordHash != null, o.CreatedAt, o.CreatedBy)).ToListAsync(cancellationToken);

    public async Task<bool> RemoveOperatorAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Set<PlatformOperator>().Where(o => o.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;

    public Task<bool> IsOperatorAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Set<PlatformOperator>().AnyAsync(o => o.UserId == userId, cancellationToken);

    public Task<List<CooperativeMembership>> CooperativeMembershipsAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Set<CooperativeMembership>().AsNoTracking().Where(m => m.UserId == userId).OrderBy(m => m.CooperativeId).ToListAsync(cancellationToken);

    public Task<List<Membership>> MembershipsAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Set<Membership>().AsNoTracking().Where(m => m.UserId == userId).OrderBy(m => m.TenantId).ToListAsync(cancellationToken);

    private static StaffView View(StaffUser user, string role, DateTimeOffset addedAt, string addedBy) =>
        new(user.Id, user.Email!, role, user.PasswordHash is not null, addedAt, addedBy);

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
}
