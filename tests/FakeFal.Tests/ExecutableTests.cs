using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed class ExecutableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Executable_StartedWithUrlsAndCommandLineFaults_ServesTheQueueApi()
    {
        await using var process = await FakeFalProcess.StartAsync(("Faults:ValidationErrorRate", "1"));
        using var client = new HttpClient { BaseAddress = process.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", "k");

        using var submit = await client.PostAsync(FakeFalHost.Model, new StringContent("{\"prompt\":\"x\"}"), Ct);
        var jwks = JsonNode.Parse(await client.GetStringAsync(".well-known/jwks.json", Ct))!;

        Assert.Equal(422, (int)submit.StatusCode);
        Assert.Equal("Ed25519", (string?)jwks["keys"]![0]!["crv"]);
    }

    [Fact]
    public async Task ConfiguredPrivateKeySeed_GivesAStableJwks_AndIsMaskedInConfig()
    {
        const string seed = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        string first;
        await using (var a = await FakeFalHost.StartAsync($"--FakeFal:Webhooks:PrivateKeySeed={seed}"))
        {
            first = (string)JsonNode.Parse(await a.Client.GetStringAsync(".well-known/jwks.json", Ct))!["keys"]![0]!["x"]!;
            var config = JsonNode.Parse(await a.Client.GetStringAsync("_fake/config", Ct))!;
            Assert.Equal("***", (string?)config["webhooks"]!["privateKeySeed"]);
        }

        await using var b = await FakeFalHost.StartAsync($"--FakeFal:Webhooks:PrivateKeySeed={seed}");
        var second = (string)JsonNode.Parse(await b.Client.GetStringAsync(".well-known/jwks.json", Ct))!["keys"]![0]!["x"]!;
        Assert.Equal(first, second);
    }
}
