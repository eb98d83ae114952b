using System.Net.Mail;

namespace MachCommerce.Identity.Mail;

/// <summary>
/// The mail server the identity service sends invitations and password-reset links through (<c>Mail__*</c>).
/// Without a host (local runs, tests that do not test mail) nothing is sent: invitation links go to the inviter and
/// the log, reset links to the log only.
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string Section = "Mail";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>starttls (port 587, the default), tls (implicit TLS, port 465) or none (a relay on the same host or in the cluster).</summary>
    public string Security { get; set; } = "starttls";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>MACH Commerce &lt;no-reply@shop.example&gt;</c>.</summary>
    public string From { get; set; } = "MACH Commerce <no-reply@localhost>";

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public bool Configured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Security is not ("starttls" or "tls" or "none"))
        {
            yield return new ValidationResult("must be starttls, tls or none.", [nameof(Security)]);
        }

        if (!MailAddress.TryCreate(From, out _))
        {
            yield return new ValidationResult("must be an address like 'MACH Commerce <no-reply@shop.example>'.", [nameof(From)]);
        }

        if (UserName is not null && string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("is needed with a user name.", [nameof(Password)]);
        }
    }
}
