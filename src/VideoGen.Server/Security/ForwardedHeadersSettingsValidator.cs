using System.Net;
using Microsoft.Extensions.Options;

namespace VideoGen.Server.Security;

/// <summary>Every trusted proxy is an IP address and every network a CIDR range, so a typo fails at start instead of trusting nothing (or everything).</summary>
internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new List<string>();
        foreach (var proxy in options.KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                failures.Add($"VideoGen:ForwardedHeaders:KnownProxies has '{proxy}', which is not an IP address; give addresses such as 127.0.0.1.");
            }
        }
        foreach (var network in options.KnownNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                failures.Add($"VideoGen:ForwardedHeaders:KnownNetworks has '{network}', which is not a CIDR range; give ranges such as 10.0.0.0/8.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
