using Microsoft.Extensions.Time.Testing;
using VideoGen.Core.Providers;
using VideoGen.Core.Tests.Support;

namespace VideoGen.Core.Tests.Providers;

public class LocalPreviewProviderRetentionTests
{
    [Fact]
    public async Task PruneExpired_RemovesFinishedRequestsPastRetention_KeepsUnfinished()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        using var provider = Tools.LocalProvider(dir.Path, time: time);
        var done = await provider.SubmitAsync(new ProviderRequest("old", "local/preview", "old clip", 1, """{"duration":2}""", null, null, null), ct);
        await Eventually.TrueAsync(async () => (await provider.GetStatusAsync(done, ct)).Phase == ProviderPhase.Completed, TimeSpan.FromSeconds(60), "the render to finish");
        var unfinishedDir = Path.Combine(dir.Path, "lp-" + new string('b', 32));
        Directory.CreateDirectory(unfinishedDir);

        Assert.Equal(0, provider.PruneExpired());
        time.Advance(TimeSpan.FromHours(25));
        Assert.Equal(1, provider.PruneExpired());

        Assert.Equal(ProviderPhase.NotFound, (await provider.GetStatusAsync(done, ct)).Phase);
        Assert.True(Directory.Exists(unfinishedDir));
    }
}
