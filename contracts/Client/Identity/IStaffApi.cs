namespace MachCommerce.Client.Identity;

/// <summary>
/// The shop's staff at the identity service (<c>/api/identity/staff</c>): the owner invites people in a role, lists
/// and removes them (an owner's right: a staff owner's token or the shop's admin key).
/// </summary>
public interface IStaffApi
{
    [Get("/api/identity/staff")]
    Task<List<StaffView>> ListStaffAsync(CancellationToken cancellationToken = default);

    /// <summary>Invites a person; without a mail server the answer holds the one-time link to pass on (72 hours).</summary>
    [Post("/api/identity/staff")]
    Task<StaffInvited> InviteStaffAsync([Body] StaffInput invitation, CancellationToken cancellationToken = default);

    /// <summary>Takes the person's place in this shop away at once (their account stays for other shops).</summary>
    [Delete("/api/identity/staff/{userId}")]
    Task RemoveStaffAsync(Guid userId, CancellationToken cancellationToken = default);
}
