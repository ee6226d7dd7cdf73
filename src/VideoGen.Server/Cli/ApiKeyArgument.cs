using System.Net.Http.Headers;

namespace VideoGen.Server.Cli;

/// <summary>
/// The API key of the client verbs: <c>--api-key KEY</c>, else the <c>VIDEOGEN_API_KEY</c> environment variable; sent
/// as <c>Authorization: Bearer KEY</c>. Not needed against a single-user (loopback, no account) server.
/// </summary>
public static class ApiKeyArgument
{
    public const string Option = "--api-key";
    public const string EnvironmentVariable = "VIDEOGEN_API_KEY";

    /// <summary>The key (or null) and the arguments without <c>--api-key KEY</c>; null arguments when the option has no value.</summary>
    public static (string? Key, string[]? Remaining) Extract(string[] args, Func<string, string?>? environment = null)
    {
        var rest = new List<string>();
        string? key = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == Option)
            {
                if (i + 1 >= args.Length || string.IsNullOrWhiteSpace(args[i + 1]))
                {
                    return (null, null);
                }
                key = args[++i];
            }
            else if (args[i].StartsWith(Option + "=", StringComparison.Ordinal))
            {
                key = args[i][(Option.Length + 1)..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        key ??= (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return (string.IsNullOrWhiteSpace(key) ? null : key.Trim(), rest.ToArray());
    }

    public static void Apply(HttpClient http, string? key)
    {
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }
}
