using VideoGen.Core.Models;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Security;

/// <summary>
/// Feeds ASP.NET Core's host filtering (installed first in every web host) with the names this server
/// answers to: loopback, the <c>VideoGen:PublicBaseUrl</c> host and <c>VideoGen:Security:AllowedHosts</c>.
/// Without this the framework would take the top-level <c>AllowedHosts</c> key, which defaults to any host.
/// </summary>
internal sealed class AllowedHostNames(IOptions<SecurityOptions> security, IOptions<PublicUrlOptions> publicUrl) : IConfigureOptions<HostFilteringOptions>
{
    public static readonly IReadOnlyList<string> Loopback = ["localhost", "127.0.0.1", "[::1]"];

    public void Configure(HostFilteringOptions options)
    {
        var hosts = new List<string>(Loopback);
        if (publicUrl.Value.PublicBaseUrl is { IsAbsoluteUri: true } publicBase)
        {
            hosts.Add(publicBase.Host);
        }
        hosts.AddRange(security.Value.AllowedHosts.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()));
        options.AllowedHosts = hosts.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        // Browsers always send Host; an HTTP/1.0 probe without one (load balancer health checks) is not a rebinding attack.
        options.AllowEmptyHosts = true;
        options.IncludeFailureMessage = false;
    }
}
