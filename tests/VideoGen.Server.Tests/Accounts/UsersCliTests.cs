using System.Net;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>
/// The real <c>videogen</c> process: the single-user guard (beyond loopback with no account refuses to start, naming
/// both fixes) and the <c>users</c> verb (first admin with a generated password, list, disable).
/// </summary>
public sealed class UsersCliTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Serve_BeyondLoopbackWithoutAccounts_ExitsNonZeroNamingBothFixes()
    {
        using var dir = new TempDir("videogen-guard");

        var (code, _, error) = await VideoGenProcess.RunAsync(ExitTimeout, "serve", "--urls", "http://0.0.0.0:0", $"--VideoGen:DataDir={dir.Path}");

        Assert.Equal(3, code);
        Assert.Contains("no account exists", error, StringComparison.Ordinal);
        Assert.Contains("videogen users add --admin", error, StringComparison.Ordinal);
        Assert.Contains("--urls http://127.0.0.1:5080", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersAdd_GeneratesPasswordOnce_ThenServeBeyondLoopbackStartsAndRequiresSignIn()
    {
        using var dir = new TempDir("videogen-users");
        var data = $"--VideoGen:DataDir={dir.Path}";

        var (code, output, error) = await VideoGenProcess.RunAsync(ExitTimeout, "users", "add", "--admin", "root@example.com", data);
        Assert.True(code == 0, error);
        var password = output.Split('\n').Single(l => l.StartsWith("Generated password (shown only now): ", StringComparison.Ordinal))["Generated password (shown only now): ".Length..].Trim();
        Assert.Equal(24, password.Length);

        var (listCode, list, _) = await VideoGenProcess.RunAsync(ExitTimeout, "users", "list", data);
        Assert.Equal(0, listCode);
        Assert.Contains("root@example.com\tadmin\tactive", list, StringComparison.Ordinal);
        Assert.DoesNotContain(password, list, StringComparison.Ordinal);

        await using var server = await VideoGenProcess.ServeLocalAsync(data, "--urls", "http://0.0.0.0:0");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.BaseUrl.Port}") };
        using var anonymous = await http.GetAsync("/api/videos", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var signIn = await http.PostJsonAsync("/api/account/signin", System.Text.Json.JsonSerializer.Serialize(new { email = "root@example.com", password }));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task UsersDisable_UnknownEmail_FailsWithMessage()
    {
        using var dir = new TempDir("videogen-users");

        var (code, _, error) = await VideoGenProcess.RunAsync(ExitTimeout, "users", "disable", "ghost@example.com", $"--VideoGen:DataDir={dir.Path}");

        Assert.Equal(1, code);
        Assert.Contains("No account has the email 'ghost@example.com'.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersTier_PlacesTheAccountInATier_AndRefusesAnUnknownOne()
    {
        using var dir = new TempDir("videogen-users-tier");
        var data = $"--VideoGen:DataDir={dir.Path}";
        var (added, _, addError) = await VideoGenProcess.RunAsync(ExitTimeout, "users", "add", "member@example.com", "--password", "a long enough password", data);
        Assert.True(added == 0, addError);

        var (code, output, error) = await VideoGenProcess.RunAsync(ExitTimeout, "users", "tier", "member@example.com", "pro", data);
        var (unknown, _, unknownError) = await VideoGenProcess.RunAsync(ExitTimeout, "users", "tier", "member@example.com", "platinum", data);
        var (_, list, _) = await VideoGenProcess.RunAsync(ExitTimeout, "users", "list", data);

        Assert.True(code == 0, error);
        Assert.Contains("member@example.com is now in tier pro.", output, StringComparison.Ordinal);
        Assert.Equal(1, unknown);
        Assert.Contains("No tier is named 'platinum'; configured tiers: pro, free.", unknownError, StringComparison.Ordinal);
        Assert.Contains("member@example.com\tuser\tactive", list, StringComparison.Ordinal);
        Assert.EndsWith("\tpro", list.Trim(), StringComparison.Ordinal);
    }
}
