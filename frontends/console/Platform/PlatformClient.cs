using MachCommerce.Client;
using MachCommerce.MerchantConsole.SignIn;

namespace MachCommerce.MerchantConsole.Platform;

public static class PlatformClient
{
    /// <summary>
    /// The typed client of the platform for one circuit, acting as its signed-in person: every request carries their
    /// access token, so the gateway applies exactly their role's rights (the console never calls a service or database).
    /// </summary>
    public static IServiceCollection AddPlatformClient(this IServiceCollection services) =>
        services.AddScoped(sp =>
        {
            var session = sp.GetRequiredService<StaffSession>();
            var platform = sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.Platform!;
            return MachCommerceClient.Create(o =>
            {
                o.BaseAddress = platform;
                o.AccessTokenProvider = cancellationToken => new ValueTask<string>(session.AccessTokenAsync(cancellationToken));
            });
        });
}
