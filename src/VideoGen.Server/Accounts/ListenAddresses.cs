using System.Net;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Reads where <c>serve</c> is configured to listen (<c>urls</c>, <c>http_ports</c>/<c>https_ports</c>,
/// <c>Kestrel:Endpoints:*:Url</c>) and tells whether every address is loopback. Wildcards (<c>*</c>, <c>+</c>,
/// <c>0.0.0.0</c>, <c>[::]</c>), ports without a host and host names other than <c>localhost</c> count as beyond.
/// </summary>
public static class ListenAddresses
{
    public static IReadOnlyList<string> Configured(IConfiguration configuration, string defaultUrls)
    {
        var urls = new List<string>();
        urls.AddRange(Split(configuration["urls"]));
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            urls.AddRange(Split(endpoint["Url"]));
        }
        foreach (var port in Split(configuration["http_ports"]).Concat(Split(configuration["https_ports"])))
        {
            urls.Add("http://*:" + port);
        }
        return urls.Count > 0 ? urls : Split(defaultUrls).ToList();
    }

    /// <summary>The first address beyond loopback, or null when all are loopback.</summary>
    public static string? FirstBeyondLoopback(IEnumerable<string> urls) => urls.FirstOrDefault(u => !IsLoopback(u));

    public static bool IsLoopback(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd >= 0 ? url[(schemeEnd + 3)..] : url;
        var slash = rest.IndexOf('/');
        var hostPort = slash >= 0 ? rest[..slash] : rest;
        string host;
        if (hostPort.StartsWith('['))
        {
            var end = hostPort.IndexOf(']');
            host = end > 0 ? hostPort[1..end] : hostPort;
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            host = colon >= 0 ? hostPort[..colon] : hostPort;
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
