using VideoGen.Server.Accounts;
using VideoGen.Server.Cli;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>Parsing of <c>videogen users …</c>, the client verbs' <c>--api-key</c>, and which listen addresses are loopback.</summary>
public sealed class CliArgumentsTests
{
    [Fact]
    public void UsersAdd_AdminEmailPassword_AndHostSettingsPassThrough()
    {
        var parsed = UsersArgs.Parse(["add", "--admin", "a@example.com", "--password", "pw pw pw pw", "--VideoGen:DataDir=/d", "--urls", "http://x"], out var problem);

        Assert.Null(problem);
        Assert.NotNull(parsed);
        Assert.Equal(("add", "a@example.com", true, "pw pw pw pw"), (parsed.Action, parsed.Email, parsed.Admin, parsed.Password));
        Assert.Equal(["--VideoGen:DataDir=/d", "--urls", "http://x"], parsed.HostArgs);
    }

    [Theory]
    [InlineData(new string[0], "users needs one of: add, list, disable, enable, reset-password, tier.")]
    [InlineData(new[] { "add" }, "users add needs an EMAIL.")]
    [InlineData(new[] { "disable", "a@example.com", "--admin" }, "--admin only goes with users add.")]
    [InlineData(new[] { "list", "--password", "x" }, "--password only goes with users add and users reset-password.")]
    [InlineData(new[] { "add", "a@example.com", "b@example.com" }, "Unexpected argument 'b@example.com'.")]
    [InlineData(new[] { "tier", "a@example.com" }, "users tier needs an EMAIL and a TIER.")]
    [InlineData(new[] { "tier", "a@example.com", "pro", "free" }, "Unexpected argument 'free'.")]
    public void Users_BadArguments_AreRefusedWithAMessage(string[] args, string message)
    {
        Assert.Null(UsersArgs.Parse(args, out var problem));
        Assert.Equal(message, problem);
    }

    [Fact]
    public void UsersTier_TakesEmailAndTier()
    {
        var parsed = UsersArgs.Parse(["tier", "a@example.com", "pro", "--VideoGen:DataDir=/d"], out var problem);

        Assert.Null(problem);
        Assert.Equal(("tier", "a@example.com", "pro"), (parsed!.Action, parsed.Email, parsed.Tier));
        Assert.Equal(["--VideoGen:DataDir=/d"], parsed.HostArgs);
    }

    [Fact]
    public void ApiKey_FromOption_IsTakenOutOfTheArguments()
    {
        var (key, rest) = ApiKeyArgument.Extract(["a fox", "--api-key", "vg_k", "--wait"], _ => "vg_env");

        Assert.Equal("vg_k", key);
        Assert.Equal(["a fox", "--wait"], rest!);
    }

    [Fact]
    public void ApiKey_WithoutOption_ComesFromTheEnvironment()
    {
        var (key, rest) = ApiKeyArgument.Extract(["a fox"], name => name == "VIDEOGEN_API_KEY" ? "vg_env" : null);

        Assert.Equal("vg_env", key);
        Assert.Equal(["a fox"], rest!);
    }

    [Fact]
    public void ApiKey_OptionWithoutValue_IsAnError()
    {
        Assert.Null(ApiKeyArgument.Extract(["a fox", "--api-key"], _ => null).Remaining);
    }

    [Theory]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://127.1.2.3:80", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://192.168.1.10:5080", false)]
    [InlineData("http://videos.example.com", false)]
    public void ListenAddress_IsLoopbackOnlyForLoopbackHosts(string url, bool loopback)
    {
        Assert.Equal(loopback, ListenAddresses.IsLoopback(url));
    }
}
