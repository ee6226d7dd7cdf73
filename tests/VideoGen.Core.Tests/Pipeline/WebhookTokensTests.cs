using Microsoft.Extensions.Options;
using VideoGen.Core.Pipeline;

namespace VideoGen.Core.Tests.Pipeline;

/// <summary>The webhook URL token: only the token issued for a video is accepted, and the secret is shared through DataDir or configuration.</summary>
public sealed class WebhookTokensTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string SecretFile => Path.Combine(_dir.Path, "webhook-secret");

    private WebhookTokens Tokens(string? secret = null) => new(Options.Create(new WebhookOptions { Secret = secret }), SecretFile);

    [Fact]
    public void IssuedToken_IsValid_OnlyForItsVideo()
    {
        var tokens = Tokens();
        var token = tokens.TokenFor("v-1");

        Assert.True(tokens.IsValid("v-1", token));
        Assert.False(tokens.IsValid("v-2", token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64url!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void WrongOrMissingToken_IsRefused(string? token)
    {
        var tokens = Tokens();
        _ = tokens.TokenFor("v-1");

        Assert.False(tokens.IsValid("v-1", token));
    }

    [Fact]
    public void TokenWithoutAVideo_IsRefused()
    {
        var tokens = Tokens();

        Assert.False(tokens.IsValid(null, tokens.TokenFor("v-1")));
        Assert.False(tokens.IsValid("", tokens.TokenFor("v-1")));
    }

    [Fact]
    public void GeneratedSecret_IsWrittenOnce_OwnerOnly_AndSharedByEveryInstanceOnTheFolder()
    {
        var first = Tokens().TokenFor("v-1");
        var written = File.ReadAllText(SecretFile);

        Assert.Equal(first, Tokens().TokenFor("v-1"));
        Assert.Equal(written, File.ReadAllText(SecretFile));
        Assert.Equal(32, Convert.FromBase64String(written).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SecretFile));
        }
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void ConfiguredSecret_IsUsed_AndNoFileIsWritten()
    {
        var secret = new string('s', 40);

        var token = Tokens(secret).TokenFor("v-1");

        Assert.Equal(token, Tokens(secret).TokenFor("v-1"));
        Assert.NotEqual(token, Tokens(new string('t', 40)).TokenFor("v-1"));
        Assert.False(File.Exists(SecretFile));
    }

    public void Dispose() => _dir.Dispose();
}
