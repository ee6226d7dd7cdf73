using System.CommandLine;

namespace VideoGen.Server.Cli;

/// <summary>
/// The options every client verb shares: which server (<c>--server</c>, else <c>VIDEOGEN_SERVER</c>, else
/// <see cref="DefaultServer"/>), the API key (<c>--api-key</c>, else <c>VIDEOGEN_API_KEY</c>; not needed against a
/// single-user server on loopback) and <c>--json</c> for machine-readable output.
/// </summary>
internal sealed class ClientOptions
{
    public const string ServerVariable = "VIDEOGEN_SERVER";
    public const string ApiKeyVariable = "VIDEOGEN_API_KEY";
    public static readonly Uri DefaultServer = new("http://localhost:5080");

    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"The server's URL (default: ${ServerVariable}, else {DefaultServer.AbsoluteUri.TrimEnd('/')})",
        HelpName = "URL",
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"API key, sent as a bearer token (default: ${ApiKeyVariable}); not needed in single-user mode",
        HelpName = "KEY",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON on standard output",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(ApiKey);
        command.Options.Add(Json);
    }

    /// <summary>The server to talk to, or a usage error in words.</summary>
    public Uri? ResolveServer(ParseResult parse, Func<string, string?> environment, out string? error)
    {
        error = null;
        var given = parse.GetValue(Server);
        var source = "--server";
        if (string.IsNullOrWhiteSpace(given))
        {
            given = environment(ServerVariable);
            source = ServerVariable;
        }
        if (string.IsNullOrWhiteSpace(given))
        {
            return DefaultServer;
        }
        if (!Uri.TryCreate(given.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"{source} must be an http(s) URL like http://localhost:5080 (got '{given}').";
            return null;
        }
        return uri;
    }

    public string? ResolveApiKey(ParseResult parse, Func<string, string?> environment)
    {
        var key = parse.GetValue(ApiKey);
        if (string.IsNullOrWhiteSpace(key))
        {
            key = environment(ApiKeyVariable);
        }
        return string.IsNullOrWhiteSpace(key) ? null : key.Trim();
    }
}
