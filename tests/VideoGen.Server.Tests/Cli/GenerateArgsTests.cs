using System.Text.Json;
using VideoGen.Server.Cli;

namespace VideoGen.Server.Tests.Cli;

public sealed class GenerateArgsTests
{
    [Fact]
    public void Parse_AllOptions_AreRead()
    {
        var args = GenerateArgs.Parse(["a fox", "--model", "local/preview", "--seed=9", "--param", "duration=6", "--wait", "--timeout", "30", "--server", "http://127.0.0.1:1234"], out var error);

        Assert.Null(error);
        Assert.NotNull(args);
        Assert.Equal("a fox", args.Prompt);
        Assert.Equal("local/preview", args.Model);
        Assert.Equal(9, args.Seed);
        Assert.Equal("6", args.Parameters["duration"]);
        Assert.True(args.Wait);
        Assert.Equal(TimeSpan.FromSeconds(30), args.Timeout);
        Assert.Equal(new Uri("http://127.0.0.1:1234"), args.Server);
    }

    [Theory]
    [InlineData(new string[0], "A prompt is required")]
    [InlineData(new[] { "   " }, "A prompt is required")]
    [InlineData(new[] { "fox", "--seed" }, "--seed needs a value.")]
    [InlineData(new[] { "fox", "--seed", "4294967296" }, "--seed must be a whole number")]
    [InlineData(new[] { "fox", "--server", "ftp://x" }, "--server must be an http(s) URL")]
    [InlineData(new[] { "fox", "--param", "novalue" }, "--param takes NAME=VALUE")]
    [InlineData(new[] { "fox", "--bogus" }, "Unknown option '--bogus'.")]
    [InlineData(new[] { "fox", "bar" }, "Only one prompt is allowed")]
    public void Parse_BadArguments_SaysWhy(string[] argv, string expected)
    {
        var args = GenerateArgs.Parse(argv, out var error);

        Assert.Null(args);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_VerbFirst_OrAsSetting()
    {
        Assert.Equal("serve", VideoGen.Server.Cli.CommandLine.Parse(["serve", "--urls", "x"]).Verb);
        var fromSetting = VideoGen.Server.Cli.CommandLine.Parse(["--environment=Development", "--verb=worker"]);
        Assert.Equal("worker", fromSetting.Verb);
        Assert.Equal(["--environment=Development"], fromSetting.Rest);
        Assert.Null(VideoGen.Server.Cli.CommandLine.Parse(["--urls", "x"]).Verb);
    }

    [Fact]
    public void CreateVideoBody_AllOptions_SendsEveryField()
    {
        var args = GenerateArgs.Parse(["a fox", "--model", "local/preview", "--seed", "9", "--negative", "blur", "--image", "/api/uploads/x.png", "--param", "duration=6"], out _)!;

        var json = JsonSerializer.Serialize(args.ToCreateVideoBody(), GenerateCommand.RequestJson);

        Assert.Equal(
            """{"prompt":"a fox","model":"local/preview","seed":9,"negativePrompt":"blur","imageUrl":"/api/uploads/x.png","parameters":{"duration":"6"}}""",
            json);
    }

    [Fact]
    public void CreateVideoBody_PromptOnly_SendsOnlyThePrompt()
    {
        var args = GenerateArgs.Parse(["a fox"], out _)!;

        Assert.Equal("""{"prompt":"a fox"}""", JsonSerializer.Serialize(args.ToCreateVideoBody(), GenerateCommand.RequestJson));
    }
}
