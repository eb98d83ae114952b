using MachCommerce.Client.Admin;
using MachCommerce.Client.Authentication;
using MachCommerce.Client.Catalog;
using MachCommerce.Client.Identity;
using MachCommerce.Client.Personalization;
using MachCommerce.Client.Problems;
using MachCommerce.Client.Profiles;
using MachCommerce.Client.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace MachCommerce.Client;

public static class MachCommerceClientServiceCollectionExtensions
{
    private const string TokenClient = "MachCommerce.Client.Token";

    /// <summary>
    /// Registers <see cref="ICatalogApi"/>, <see cref="ICatalogStructureApi"/>, <see cref="ICentralAssortmentApi"/>, <see cref="ICentralCampaignsApi"/>, <see cref="IProfilesApi"/>, <see cref="IProfileRightsApi"/>,
    /// <see cref="IPersonalizationApi"/>, <see cref="IWebhooksApi"/>, <see cref="IGatewayAdminApi"/>, <see cref="IStaffApi"/> and <see cref="IPartnerClientsApi"/> (Refit's
    /// generated clients on IHttpClientFactory): each request authenticated with the API key or a cached client
    /// credentials token, idempotent requests retried on 5xx, 429 (after Retry-After) and network errors, and every
    /// refusal thrown as a <see cref="MachCommerceApiException"/>.
    /// </summary>
    public static IServiceCollection AddMachCommerceClient(this IServiceCollection services, Action<MachCommerceClientOptions> configure)
    {
        var options = new MachCommerceClientOptions();
        configure(options);
        options.Validate();
        if (options.ApiKey is null && options.AccessTokenProvider is null)
        {
            services.AddHttpClient(TokenClient, http => http.Timeout = options.Timeout);
            services.AddSingleton(sp => new TokenSource(sp.GetRequiredService<IHttpClientFactory>().CreateClient(TokenClient), options, TimeProvider.System));
        }

        Add<ICatalogApi>(services, options);
        Add<ICatalogStructureApi>(services, options);
        Add<ICentralAssortmentApi>(services, options);
        Add<ICentralCampaignsApi>(services, options);
        Add<IProfileRightsApi>(services, options);
        Add<IProfilesApi>(services, options);
        Add<IWebhooksApi>(services, options);
        Add<IPersonalizationApi>(services, options);
        Add<IGatewayAdminApi>(services, options);
        Add<IStaffApi>(services, options);
        Add<IPartnerClientsApi>(services, options);
        return services;
    }

    /// <summary>
    /// The problem handler throws <see cref="MachCommerceApiException"/> below Refit; Refit would wrap it as a
    /// transport failure. It surfaces as it is, and so does a real transport failure (a refused connection, a timeout).
    /// </summary>
    private static readonly RefitSettings Settings = new() { TransportExceptionFactory = (_, exception, _) => exception };

    private static void Add<T>(IServiceCollection services, MachCommerceClientOptions options) where T : class
    {
        var attemptTimeout = options.Timeout < TimeSpan.FromSeconds(10) ? options.Timeout : TimeSpan.FromSeconds(10);
        var client = services.AddRefitGeneratedClient<T>(ClientJsonContext.Default, _ => Settings)
            .ConfigureHttpClient(http =>
            {
                http.BaseAddress = options.BaseAddress;
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline's total timeout rules
            })
            // Outermost: the final answer, after any retries, becomes an exception with the problem's fields.
            .AddHttpMessageHandler(() => new ProblemHandler());
        client.AddStandardResilienceHandler(resilience =>
        {
            resilience.TotalRequestTimeout.Timeout = options.Timeout;
            resilience.AttemptTimeout.Timeout = attemptTimeout;
            resilience.CircuitBreaker.SamplingDuration = attemptTimeout * 2 > TimeSpan.FromSeconds(30) ? attemptTimeout * 2 : TimeSpan.FromSeconds(30);
            resilience.Retry.MaxRetryAttempts = options.MaxRetries;
            resilience.Retry.DisableForUnsafeHttpMethods(); // a POST that timed out may have happened: never sent twice
        });
        // Innermost: every attempt carries the credential (a renewed token on a retry).
        if (options.ApiKey is { } key)
        {
            client.AddHttpMessageHandler(() => new ApiKeyHandler(key));
        }
        else if (options.AccessTokenProvider is { } person)
        {
            client.AddHttpMessageHandler(() => new AccessTokenHandler(person));
        }
        else
        {
            client.AddHttpMessageHandler(sp => new ClientCredentialsHandler(sp.GetRequiredService<TokenSource>()));
        }
    }
}
