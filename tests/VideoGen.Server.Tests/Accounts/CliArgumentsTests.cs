using VideoGen.Server.Accounts;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>Which listen addresses are loopback (the CLI's parsing is in Cli/CliParsingTests).</summary>
public sealed class CliArgumentsTests
{
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
