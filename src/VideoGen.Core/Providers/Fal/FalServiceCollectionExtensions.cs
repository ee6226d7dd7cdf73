using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using VideoGen.Core.Models;
using VideoGen.Core.Providers.Slots;

namespace VideoGen.Core.Providers.Fal;

public static class FalServiceCollectionExtensions
{
    /// <summary>
    /// Registers the fal provider: <see cref="FalOptions"/> (section <c>VideoGen:Providers:Fal</c>, key falling back to
    /// <c>FAL_KEY</c>, validated on start), <see cref="FalClient"/> and <see cref="FalStorageClient"/> with transport resilience, <see cref="FalVideoProvider"/>
    /// as an <see cref="IVideoProvider"/>, <see cref="FalModelSource"/> as an <see cref="IModelSource"/>, and the webhook
    /// verifier with its JWKS cache and replay guard. Call it only when <see cref="HasFalKey"/> is true, since a missing key
    /// fails validation at start.
    /// </summary>
    public static IServiceCollection AddFalProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<FalOptions>()
            .Bind(configuration.GetSection(FalOptions.Section))
            .PostConfigure(o =>
            {
                if (!o.HasKey && Environment.GetEnvironmentVariable(FalOptions.KeyEnvironmentVariable) is { Length: > 0 } key)
                {
                    o.Key = key;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FalOptions>, FalOptionsValidator>());
        services.AddSingleton(sp => FalLimits(sp.GetRequiredService<IOptions<FalOptions>>().Value));

        // The fal key travels in a header: never let HTTP logging print header values.
        services.AddHttpClient<FalClient>(FalClient.HttpClientName)
            .ConfigureHttpClient(http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                http.MaxResponseContentBufferSize = 16 * 1024 * 1024;
            })
            .RedactLoggedHeaders(_ => true)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                MaxConnectionsPerServer = sp.GetRequiredService<IOptionsMonitor<FalOptions>>().CurrentValue.MaxConnectionsPerServer,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddResilienceHandler("fal-transport", static (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptionsMonitor<FalOptions>>().CurrentValue;
                builder.AddTimeout(o.TotalTimeout);
                var retry = TransportRetry(o);

                // Submit (POST) is paid and not idempotent at fal: never retried here (see FalClient.SubmitAsync).
                retry.DisableFor(HttpMethod.Post);
                builder.AddRetry(retry);
                builder.AddTimeout(o.AttemptTimeout);
            });

        // Storage uploads are not billed, so unlike submit both calls (POST initiate, PUT bytes) get transport retries.
        services.AddHttpClient<FalStorageClient>(FalStorageClient.HttpClientName)
            .ConfigureHttpClient(http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                http.MaxResponseContentBufferSize = 1024 * 1024;
            })
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("fal-storage-transport", static (builder, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptionsMonitor<FalOptions>>().CurrentValue;
                builder.AddTimeout(o.TotalTimeout);
                var retry = TransportRetry(o);

                builder.AddRetry(retry);
                builder.AddTimeout(o.AttemptTimeout);
            });

        services.AddHttpClient(FalJwksCache.HttpClientName)
            .ConfigureHttpClient(http => http.Timeout = TimeSpan.FromSeconds(15))
            .RedactLoggedHeaders(_ => true);

        services.TryAddSingleton<FalJwksCache>();
        services.TryAddSingleton<FalReplayGuard>();
        services.TryAddSingleton<FalWebhookVerifier>();
        // Typed HTTP clients are short-lived (the client factory rotates their handlers): the singletons below make one per call.
        services.TryAddSingleton<Func<FalClient>>(sp => () => sp.GetRequiredService<FalClient>());
        services.TryAddSingleton<Func<FalStorageClient>>(sp => () => sp.GetRequiredService<FalStorageClient>());
        services.TryAddSingleton<FalImageInput>();
        services.TryAddSingleton<FalVideoProvider>();
        services.AddSingleton<IVideoProvider>(sp => sp.GetRequiredService<FalVideoProvider>());
        services.AddSingleton<IModelSource, FalModelSource>();
        return services;
    }

    /// <summary>True when a fal key is configured (<c>VideoGen:Providers:Fal:Key</c> or <c>FAL_KEY</c>).</summary>
    public static bool HasFalKey(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{FalOptions.Section}:Key"])
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(FalOptions.KeyEnvironmentVariable));

    /// <summary>Transport retries (429, 5xx, timeouts, connection errors) with jittered exponential backoff, honouring Retry-After.</summary>
    private static HttpRetryStrategyOptions TransportRetry(FalOptions o)
    {
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, o.MaxRetryAttempts),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = o.RetryBaseDelay,
            MaxDelay = TimeSpan.FromSeconds(30),
            ShouldRetryAfterHeader = true,
        };
        if (o.MaxRetryAttempts == 0)
        {
            retry.ShouldHandle = static _ => PredicateResult.False();
        }

        return retry;
    }

    /// <summary>fal's slots and submit rate as configured at start (issue 13); an admin may override them at run time.</summary>
    private static ConfiguredProviderLimits FalLimits(FalOptions o) => new(
        FalVideoProvider.ProviderName,
        new ProviderLimits(
            o.MaxConcurrent,
            o.MaxSubmitsPerMinute,
            o.Models.Where(m => m.Value.MaxConcurrent is not null).ToDictionary(m => m.Key, m => m.Value.MaxConcurrent!.Value, StringComparer.Ordinal)));
}
