using VideoGen.Queue.Redis;

namespace VideoGen.Queue.Tests.Redis;

public sealed class RedisScriptFilesTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public void EmbeddedScripts_AreExactlyTheKnownOperations()
    {
        Assert.Equal(RedisScript.All.Select(s => s.Name).Order(StringComparer.Ordinal), RedisScript.EmbeddedNames());
        Assert.Equal(15, RedisScript.All.Count);
    }

    [Fact]
    public void EveryScript_OpensWithKeysArgvReturnsHeader_AndBindsAsManyKeysAsItsNameSays()
    {
        foreach (var script in RedisScript.All)
        {
            var body = script.Text[(script.Text.IndexOf("\n--[[", StringComparison.Ordinal) + 1)..];
            Assert.StartsWith("--[[", body, StringComparison.Ordinal);
            var header = body[..body.IndexOf("]]", StringComparison.Ordinal)];
            Assert.Contains("KEYS:", header, StringComparison.Ordinal);
            Assert.Contains("ARGV", header, StringComparison.Ordinal);
            Assert.Contains("Returns", header, StringComparison.Ordinal);
            Assert.Equal(int.Parse(script.Name[(script.Name.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture), script.KeyNames.Count);
            Assert.All(script.KeyNames, k => Assert.Contains(k, RedisQueueKeys.Names));
        }
    }

    [Fact]
    public async Task EveryScript_LoadsIntoRedis()
    {
        await redis.Factory.LoadScriptsAsync();
        var server = redis.Factory.Connection.GetServers().Single();
        foreach (var script in RedisScript.All)
        {
            Assert.True(await server.ScriptExistsAsync(script.Text), $"{script.Name} is not loaded");
        }
    }
}
