using System.Text.Json;
using VideoGen.Server.Cli;

namespace VideoGen.Server.Tests.Cli;

/// <summary>
/// The command line in-process (no server is reached: every case here fails or answers before a request): usage
/// errors exit 2 with a one-line message, <c>--help</c> works on every verb, and the verb may come as a setting.
/// </summary>
public sealed class CliParsingTests
{
    private static readonly string[] Verbs = ["serve", "worker", "migrate", "users", "users add", "users list", "users disable", "users enable", "users reset-password",
        "generate", "status", "list", "watch", "cancel", "delete", "download", "models"];

    private static async Task<(int Code, string Output, string Error)> RunAsync(Dictionary<string, string>? environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole(output, error, name => environment?.GetValueOrDefault(name));
        var code = await VideoGenCli.RunAsync(args, console, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunAsync(null, args);

    public static TheoryData<string> VerbNames => new(Verbs);

    [Theory]
    [MemberData(nameof(VerbNames))]
    public async Task Help_OnEveryVerb_PrintsItsUsageAndSucceeds(string verb)
    {
        var (code, output, _) = await RunAsync([.. verb.Split(' '), "--help"]);

        Assert.Equal(ExitCodes.Succeeded, code);
        Assert.Contains($"videogen {verb}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RootHelp_ListsTheExitCodes()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("Exit codes:", output, StringComparison.Ordinal);
        foreach (var (exit, meaning) in ExitCodes.All)
        {
            Assert.Contains($"  {exit}  {meaning}", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HelpVerb_MeansTheVerbsHelp()
    {
        var (code, output, _) = await RunAsync("help", "generate");

        Assert.Equal(0, code);
        Assert.Contains("videogen generate <prompt> [options]", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'")]
    [InlineData(new[] { "generate" }, "Required argument missing for command: 'generate'")]
    [InlineData(new[] { "generate", "fox", "--seed", "minus-one" }, "--seed must be a whole number from 0 to 4294967295 (got 'minus-one').")]
    [InlineData(new[] { "generate", "fox", "--seed", "4294967296" }, "--seed must be a whole number from 0 to 4294967295 (got '4294967296').")]
    [InlineData(new[] { "generate", "fox", "--timeout", "0" }, "--timeout must be a positive number of seconds.")]
    [InlineData(new[] { "generate", "fox", "--bogus" }, "Unrecognized command or argument '--bogus'")]
    [InlineData(new[] { "generate", "fox", "--server", "ftp://x" }, "--server must be an http(s) URL like http://localhost:5080 (got 'ftp://x').")]
    [InlineData(new[] { "generate", "fox", "--option", "novalue" }, "--option takes NAME=VALUE (got 'novalue').")]
    [InlineData(new[] { "generate", "fox", "--image", "no-such-file.png" }, "--image must be an image file that exists or an http(s) URL (got 'no-such-file.png').")]
    [InlineData(new[] { "status" }, "Required argument missing for command: 'status'")]
    [InlineData(new[] { "users", "add" }, "Required argument missing for command: 'add'")]
    [InlineData(new[] { "users", "add", "--VideoGen:DataDir=/d" }, "users add needs the EMAIL before configuration settings (got '--VideoGen:DataDir=/d').")]
    public async Task UsageErrors_ExitTwo_WithAOneLineMessage(string[] args, string message)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Contains("error: " + message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoVerb_PrintsTheHelpAndExitsTwo()
    {
        var (code, _, error) = await RunAsync();

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("error: No verb given.", error, StringComparison.Ordinal);
        Assert.Contains("videogen [command] [options]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerFromTheEnvironment_IsValidatedLikeTheOption()
    {
        var (code, _, error) = await RunAsync(new Dictionary<string, string> { ["VIDEOGEN_SERVER"] = "not a url" }, "list");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("error: VIDEOGEN_SERVER must be an http(s) URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_UsageErrorIsAlsoAnErrorObjectOnStandardOutput()
    {
        var (code, output, _) = await RunAsync("generate", "fox", "--json", "--option", "x");

        Assert.Equal(ExitCodes.Usage, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(ExitCodes.Usage, json.RootElement.GetProperty("error").GetProperty("exitCode").GetInt32());
        Assert.Equal("--option takes NAME=VALUE (got 'x').", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void Normalize_VerbAsSetting_ComesFirst_AndHelpVerbBecomesAnOption()
    {
        Assert.Equal(["worker", "--environment=Development"], VideoGenCli.Normalize(["--environment=Development", "--verb=worker"]));
        Assert.Equal(["serve", "--urls", "x"], VideoGenCli.Normalize(["serve", "--urls", "x"]));
        Assert.Equal(["users", "--help"], VideoGenCli.Normalize(["help", "users"]));
    }
}
