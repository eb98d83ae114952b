using MachCommerce.Identity.Data;
using MachCommerce.Identity.Staff;
using MachCommerce.Identity.Tokens;

namespace MachCommerce.Identity.Account;

public static class StaffSignIn
{
    /// <summary>
    /// ASP.NET Core Identity for staff: passwords per <see cref="PasswordRules"/> (no composition rules), lockout after
    /// 5 failures for 15 minutes, e-mail addresses unique; the sign-in session in a secure, HttpOnly, SameSite cookie
    /// of 8 hours that only this service reads (its tokens are what the front ends hold).
    /// </summary>
    public static IServiceCollection AddStaffSignIn(this IServiceCollection services)
    {
        services.AddIdentityCore<StaffUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = PasswordRules.MinLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<IdentityDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<PasswordRules>();
        services.Configure<DataProtectionTokenProviderOptions>(tokens => tokens.TokenLifespan = PasswordReset.LinkLifetime);
        services.AddAuthentication().AddIdentityCookies();
        services.AddDatabaseDataProtection();
        services.ConfigureApplicationCookie(cookie =>
        {
            SessionCookie(cookie, "mach_staff");
            cookie.LoginPath = "/account/login";
            // To the sign-in page by path alone: the browser stays at the address it came through (the gateway).
            cookie.Events.OnRedirectToLogin = context =>
            {
                var target = new Uri(context.RedirectUri, UriKind.RelativeOrAbsolute);
                context.Response.Redirect(target.IsAbsoluteUri ? target.PathAndQuery : context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "mach_antiforgery";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddScoped<StaffDirectory>();
        services.AddHostedService<FrontEndClients>();
        return services;
    }

    /// <summary>A sign-in session of this service's own (staff's or a shop's customers'): HttpOnly, SameSite=Lax, Secure over https, 8 hours, sliding.</summary>
    internal static void SessionCookie(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions cookie, string name)
    {
        cookie.Cookie.Name = name;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.SlidingExpiration = true;
    }
}
