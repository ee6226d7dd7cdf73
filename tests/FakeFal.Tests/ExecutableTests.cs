using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FakeFal.Tests.Infrastructure;

namespace FakeFal.Tests;

public sealed partial class ExecutableTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Executable_StartedWithUrlsAndCommandLineFaults_ServesTheQueueApi()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FakeFal.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--urls", "http://127.0.0.1:0", "--FakeFal:Faults:ValidationErrorRate=1", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information" })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        try
        {
            var baseUrl = await ReadListeningUrlAsync(process);
            using var client = new HttpClient { BaseAddress = new Uri(baseUrl + "/") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Key", "k");

            using var submit = await client.PostAsync(FakeFalHost.Model, new StringContent("{\"prompt\":\"x\"}"), Ct);
            var jwks = JsonNode.Parse(await client.GetStringAsync(".well-known/jwks.json", Ct))!;

            Assert.Equal(422, (int)submit.StatusCode);
            Assert.Equal("Ed25519", (string?)jwks["keys"]![0]!["crv"]);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
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

    private static async Task<string> ReadListeningUrlAsync(Process process)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (ListeningPattern().Match(line) is { Success: true } m)
            {
                return m.Groups[1].Value;
            }
        }

        Assert.Fail($"FakeFal exited before listening: {await process.StandardError.ReadToEndAsync(Ct)}");
        return "";
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();
}
