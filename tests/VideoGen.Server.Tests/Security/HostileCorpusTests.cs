using System.Text.RegularExpressions;

namespace VideoGen.Server.Tests.Security;

/// <summary>
/// Every row of <see cref="HostileCorpus"/> is refused with its 4xx as problem details, changes nothing (videos,
/// jobs, pause flag, media files), and neither the answer nor any log line carries the fal key.
/// </summary>
public sealed partial class HostileCorpusTests(HostileCorpusHost host) : IClassFixture<HostileCorpusHost>
{
    public static TheoryData<string> Rows => [.. HostileCorpus.All.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task HostileRequest_IsRefusedWithProblemDetails_AndChangesNothing(string name)
    {
        var row = HostileCorpus.Find(name);
        var before = await SurfaceState.ReadAsync(host.Factory);
        using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path.Replace("{video}", host.VideoId, StringComparison.Ordinal)) { Content = row.Body() };

        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == row.Status, $"{name}: expected {row.Status}, got {(int)response.StatusCode}: {Short(text)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{name}: content type '{response.Content.Headers.ContentType}': {Short(text)}");
        Assert.DoesNotContain(HostileCorpusHost.SecretMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(HostileCorpusHost.SecretMarker, string.Join("\n", response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value)), StringComparison.Ordinal);
        Assert.DoesNotMatch(StackOrPath(), text);
        Assert.DoesNotContain(RepoPaths.Root, text, StringComparison.Ordinal);
        Assert.Equal(before, await SurfaceState.ReadAsync(host.Factory));
        var leaked = host.Logs.Where(l => l.Contains(HostileCorpusHost.SecretMarker, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, "the fal key appears in the log:\n" + string.Join("\n", leaked.Take(3)));
    }

    [Fact]
    public async Task Corpus_RunsAgainstAServerWithFalEnabled()
    {
        var models = await host.Http.GetStringAsync("/api/models", TestContext.Current.CancellationToken);

        Assert.Contains("\"provider\":\"fal\"", models, StringComparison.Ordinal);
        Assert.NotEmpty(host.Logs);
    }

    private static string Short(string text) => text.Length > 600 ? text[..600] + "…" : text;

    /// <summary>Stack frames or absolute paths in a public answer (the checkout's own path is checked separately).</summary>
    [GeneratedRegex(@"\bat [A-Z][\w.]+\(|/tmp/|/home/|[A-Z]:\\|\.cs:line")]
    private static partial Regex StackOrPath();
}
