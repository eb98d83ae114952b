using System.ComponentModel.DataAnnotations;

namespace MachCommerce.MerchantConsole.SignIn;

/// <summary>Where the platform is for the console (<c>Console__*</c>).</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The gateway's address as this console and its users' browsers reach it (all API calls and sign-in go there).</summary>
    [Required]
    public Uri? Platform { get; set; }

    /// <summary>The identity service's issuer (<c>iss</c> of the tokens); the platform's address unless the platform is reached by another name.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>The console's client id at the identity service (a public client with PKCE).</summary>
    public string ClientId { get; set; } = "mach-console";

    public Uri IssuerOrPlatform => Issuer ?? Platform!;
}
