using System.Reflection;
using MachCommerce.Identity.Customers;
using MachCommerce.Identity.Staff;

namespace MachCommerce.Identity.Account;

/// <summary>
/// Passwords as NIST SP 800-63B asks: long enough (12 to 128 characters, any characters, no composition rules) and
/// not one that attackers try first: a bundled list of common and breached passwords, the e-mail address itself, or
/// one character repeated.
/// </summary>
public sealed class PasswordRules : IPasswordValidator<StaffUser>, IPasswordValidator<CustomerAccount>
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    private static readonly Lazy<HashSet<string>> Common = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MachCommerce.Identity.Account.common-passwords.txt")!;
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                words.Add(line.Trim());
            }
        }

        return words;
    });

    public static int CommonCount => Common.Value.Count;

    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password) => Task.FromResult(Check(user.Email, password));

    public Task<IdentityResult> ValidateAsync(UserManager<CustomerAccount> manager, CustomerAccount user, string? password) => Task.FromResult(Check(user.Email, password));

    private static IdentityResult Check(string? email, string? password)
    {
        password ??= "";
        var errors = new List<IdentityError>();
        if (password.Length is < MinLength or > MaxLength)
        {
            errors.Add(new IdentityError { Code = "length", Description = $"The password must be {MinLength} to {MaxLength} characters long." });
        }
        else if (Common.Value.Contains(password) || password.Distinct().Count() == 1
            || (email is not null && (password.Contains(email, StringComparison.OrdinalIgnoreCase) || password.Contains(email.Split('@')[0], StringComparison.OrdinalIgnoreCase) && email.Split('@')[0].Length >= 4)))
        {
            errors.Add(new IdentityError { Code = "common", Description = "The password is too easy to guess (a common password, or your e-mail address in it); choose another." });
        }

        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }
}
