using System.CommandLine;
using System.Net;
using System.Text.Json;
using VideoGen.Client;

namespace VideoGen.Server.Cli;

/// <summary>
/// One client verb's run: its <see cref="VideoGenClient"/>, console and <c>--json</c> choice, and the one place that
/// turns failures into exit codes with a one-line message (and an <c>error</c> object with <c>--json</c>).
/// </summary>
internal sealed class ClientRun(VideoGenClient client, CliConsole console, bool json)
{
    public static readonly JsonSerializerOptions OutputJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    public VideoGenClient Client { get; } = client;
    public CliConsole Console { get; } = console;
    public bool Json { get; } = json;

    /// <summary>Runs <paramref name="body"/> against the server <paramref name="options"/> name; every known failure becomes its exit code.</summary>
    public static async Task<int> ExecuteAsync(ParseResult parse, ClientOptions options, CliConsole console, Func<ClientRun, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var json = parse.GetValue(options.Json);
        var server = options.ResolveServer(parse, console.Environment, out var problem);
        if (server is null)
        {
            return await UsageErrorAsync(console, problem!, json);
        }
        using var client = new VideoGenClient(server, options.ResolveApiKey(parse, console.Environment));
        var run = new ClientRun(client, console, json);
        try
        {
            return await body(run, ct);
        }
        catch (HttpRequestException e)
        {
            return await run.FailAsync(ExitCodes.Unreachable, $"cannot reach the server at {server} ({e.Message}). Is `videogen serve` running? Use --server URL (or {ClientOptions.ServerVariable}) to point elsewhere.");
        }
        catch (TimeoutException)
        {
            return await run.FailAsync(ExitCodes.Unreachable, $"the server at {server} did not answer in time.");
        }
        catch (VideoGenApiException e)
        {
            var (code, what) = e.StatusCode switch
            {
                HttpStatusCode.NotFound => (ExitCodes.NotFound, "not found"),
                HttpStatusCode.Unauthorized => (ExitCodes.Unauthorized, "not signed in: pass --api-key KEY (or set " + ClientOptions.ApiKeyVariable + ")"),
                HttpStatusCode.Forbidden => (ExitCodes.Unauthorized, "not allowed"),
                _ => (ExitCodes.Refused, "the server refused the request"),
            };
            return await run.FailAsync(code, $"{what} ({(int)e.StatusCode}): {e.Problem.Describe()}", e.Problem);
        }
        catch (UsageException e)
        {
            return await UsageErrorAsync(console, e.Message, json);
        }
    }

    /// <summary>Prints the one-line message (and the JSON error) and returns <paramref name="code"/>.</summary>
    public async Task<int> FailAsync(int code, string message, ApiProblem? problem = null, Video? video = null)
    {
        await Console.Error.WriteLineAsync("error: " + message);
        if (Json)
        {
            await WriteJsonAsync(new { error = new { exitCode = code, message, problem }, video });
        }
        return code;
    }

    public Task WriteJsonAsync<T>(T value) => Console.Out.WriteLineAsync(JsonSerializer.Serialize(value, OutputJson));

    private static async Task<int> UsageErrorAsync(CliConsole console, string message, bool json)
    {
        await console.Error.WriteLineAsync("error: " + message);
        if (json)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(new { error = new { exitCode = ExitCodes.Usage, message } }, OutputJson));
        }
        return ExitCodes.Usage;
    }
}

/// <summary>A usage error found only while running a verb (e.g. <c>--image</c> is neither a file nor a URL).</summary>
internal sealed class UsageException(string message) : Exception(message);
