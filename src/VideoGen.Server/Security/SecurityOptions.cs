using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Security;

/// <summary>
/// Settings under <c>VideoGen:Security</c>: which host names this server answers to. Loopback names
/// (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>) and the host of <c>VideoGen:PublicBaseUrl</c> are
/// always served; every other <c>Host</c> header is refused with 400, which is what stops a DNS-rebinding
/// page (a name of the attacker's resolving to 127.0.0.1) from reading or driving the API.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "VideoGen:Security";

    /// <summary>
    /// Further host names to serve (no scheme, no port; <c>*.example.com</c> matches sub-domains), e.g. the
    /// machine's LAN name when listening beyond loopback. <c>*</c> serves any host and turns the
    /// protection off. <value>The default value is empty (loopback and the PublicBaseUrl host only).</value>
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];
}

/// <summary>Settings under <c>VideoGen:Events</c>: how many Server-Sent Event streams may be open at once.</summary>
public sealed class EventStreamOptions
{
    public const string Section = "VideoGen:Events";

    /// <summary>
    /// Open streams per client (the signed-in owner, else the remote address as the forwarded-headers
    /// middleware sees it); beyond it a new stream is answered 429. <value>The default value is 20.</value>
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "VideoGen:Events:MaxStreamsPerClient must be from 1 to 100000.")]
    public int MaxStreamsPerClient { get; set; } = 20;

    /// <summary>Open streams in this process, all clients together; beyond it 429. <value>The default value is 1000.</value></summary>
    [Range(1, 1_000_000, ErrorMessage = "VideoGen:Events:MaxStreams must be from 1 to 1000000.")]
    public int MaxStreams { get; set; } = 1000;
}

/// <summary>
/// Settings under <c>VideoGen:ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are believed. With none listed the headers are ignored (a client could
/// otherwise claim any address). The <c>Host</c> header is never taken from <c>X-Forwarded-Host</c>: the
/// proxy passes the original <c>Host</c> through.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "VideoGen:ForwardedHeaders";

    /// <summary>Addresses of trusted proxies, e.g. <c>127.0.0.1</c> for a proxy on this machine. <value>The default value is empty.</value></summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR form, e.g. <c>10.0.0.0/8</c>. <value>The default value is empty.</value></summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>How many proxies in a row are unwrapped from the forwarded headers. <value>The default value is 1.</value></summary>
    [Range(1, 10, ErrorMessage = "VideoGen:ForwardedHeaders:ForwardLimit must be from 1 to 10.")]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any proxy is trusted (otherwise the middleware is not installed).</summary>
    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}
