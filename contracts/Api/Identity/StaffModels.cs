namespace MachCommerce.Api.Identity;

/// <summary>Whom to invite (an e-mail address) and in which role: owner, marketing, catalog, support or read-only.</summary>
public sealed record StaffInput(string? Email, string? Role);

/// <summary>A person of the staff: active once they have set their password.</summary>
public sealed record StaffView(Guid Id, string Email, string Role, bool Active, DateTimeOffset AddedAt, string AddedBy);

/// <summary>
/// An invitation as the inviter gets it. With a mail server the link goes to the invitee only (<see cref="Mailed"/>);
/// without one it is in this answer (and the log). A person who has an account already gets no link: the shop is
/// added to that account.
/// </summary>
public sealed record StaffInvited(StaffView Staff, string? InvitationUrl, DateTimeOffset? ExpiresAt, bool Mailed = false);

