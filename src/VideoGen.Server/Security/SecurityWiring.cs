using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Security;

/// <summary>The web server's surface protections: host names served, security headers, cross-site refusal, forwarded headers, stream caps (docs/security.md).</summary>
public static class SecurityWiring
{
    public static IServiceCollection AddVideoGenSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EventStreamOptions>().BindConfiguration(EventStreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersSettings>().BindConfiguration(ForwardedHeadersSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        services.AddSingleton<IConfigureOptions<HostFilteringOptions>, AllowedHostNames>();
        services.AddSingleton<SecurityHeaders>();
        services.AddSingleton<EventStreamLimiter>();
        // First registered, so it wraps every other startup filter, the framework's host filtering included.
        services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, OuterSecurityStartupFilter>());

        var forwarded = configuration.Peek<ForwardedHeadersSettings>(ForwardedHeadersSettings.Section);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = forwarded.ForwardLimit;
            // Only the proxies named in configuration are believed (the framework would trust loopback by default).
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in forwarded.KnownProxies)
            {
                if (IPAddress.TryParse(proxy, out var address))
                {
                    o.KnownProxies.Add(address);
                }
            }
            foreach (var network in forwarded.KnownNetworks)
            {
                if (System.Net.IPNetwork.TryParse(network, out var range))
                {
                    o.KnownIPNetworks.Add(range);
                }
            }
        });
        return services;
    }

    /// <summary>Forwarded headers first (so everything after sees the real client), then the cross-site guard.</summary>
    public static WebApplication UseVideoGenSecurity(this WebApplication app)
    {
        // Read from configuration, not options: a bad value is reported by start-up validation, not thrown while building.
        if (app.Configuration.Peek<ForwardedHeadersSettings>(ForwardedHeadersSettings.Section).Enabled)
        {
            app.UseForwardedHeaders();
        }
        app.UseMiddleware<CrossSiteRequestGuard>();
        return app;
    }
}
