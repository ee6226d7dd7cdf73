using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Media;
using VideoGen.Core.Models;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Pipeline;

/// <summary>The composition the server uses: AddVideoGenCore + a repository and the videos queue, the job handler, the real local renderer.</summary>
public class VideoJobHandlerTests
{
    [Fact]
    public async Task Handle_LocalPreviewVideo_EndsSucceededWithAPlayableStoredFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDir();
        var repo = new InMemoryVideoRepository();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Pipeline:PollInterval"] = "00:00:00.050",
            ["VideoGen:Pipeline:MaxPollInterval"] = "00:00:00.500",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IVideoRepository>(repo);
        services.AddSingleton<IVideoJobs>(new RecordingVideoJobs());
        services.AddVideoGenCore(dir.Path, configuration);
        await using var sp = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        var validated = sp.GetRequiredService<VideoRequestValidator>().Validate(new VideoCreateRequest { Prompt = "a paper boat on a pond", Seed = 5 });
        Assert.True(validated.IsValid);
        var request = validated.Request!;
        repo.Add(new Video
        {
            Id = "job-video-1",
            Prompt = request.Prompt,
            Model = request.Model.Id,
            Seed = request.Seed,
            ParametersJson = request.ParametersJson,
            EstimatedCostUsd = request.EstimatedCostUsd,
            CreatedAt = TimeProvider.System.GetUtcNow(),
        });
        var progress = new List<string>();
        var job = new JobContext(
            new ClaimedJob { Id = "job-video-1", Payload = "job-video-1", LeaseToken = "t", LeaseExpiresAt = TimeProvider.System.GetUtcNow().AddMinutes(1), Attempt = 1, MaxAttempts = 3 },
            "videos",
            (json, _) =>
            {
                lock (progress)
                {
                    progress.Add(json);
                }
                return Task.FromResult(true);
            });

        var sw = Stopwatch.StartNew();
        string? result;
        while (true)
        {
            await using var scope = sp.CreateAsyncScope();
            try
            {
                // One scope per run, as the queue worker runs it; a park is the queue running it again after its delay.
                result = await scope.ServiceProvider.GetRequiredService<VideoJobHandler>().HandleAsync(job, ct);
                break;
            }
            catch (VideoParkedException parked)
            {
                await Task.Delay(parked.Delay, ct);
            }
        }
        TestContext.Current.SendDiagnosticMessage($"Local preview end to end with default latency (1 s queue, 3 s render pacing): {sw.Elapsed.TotalSeconds:0.00} s");

        Assert.Equal("succeeded", result);
        var v = repo.Get("job-video-1");
        Assert.Equal(VideoStatus.Succeeded, v.Status);
        Assert.Equal("local", v.Provider);
        Assert.StartsWith("lp-", v.ProviderRequestId, StringComparison.Ordinal);
        Assert.Equal(("h264", 640, 360), (v.VideoCodec, v.Width, v.Height));
        Assert.InRange(v.DurationSeconds!.Value, 3.9, 4.2);
        var store = (LocalFolderMediaStore)sp.GetRequiredService<IMediaStore>();
        Assert.Equal(Path.Combine(dir.Path, "media", "videos", "job-video-1.mp4"), store.GetPath(v.ResultPath!));
        Assert.True(store.Exists(v.PosterPath!));
        Assert.Contains(progress, p => p.Contains("\"generating\"", StringComparison.Ordinal));
        Assert.Contains(progress, p => p.Contains("\"in_queue\"", StringComparison.Ordinal));
        Assert.Equal("""{"status":"succeeded","progress":1,"queuePosition":null}""", progress[^1]);
        Assert.False(string.IsNullOrEmpty(v.LogsExcerpt));
    }

    [Fact]
    public void AddVideoGenCore_InvalidOption_FailsValidationNamingIt()
    {
        using var dir = new TempDir();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VideoGen:Pipeline:PollInterval"] = "00:00:10",
            ["VideoGen:Pipeline:MaxPollInterval"] = "00:00:01",
        }).Build();
        var services = new ServiceCollection();
        services.AddVideoGenCore(dir.Path, configuration);
        using var sp = services.BuildServiceProvider();

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PipelineOptions>>().Value);
        Assert.Contains("MaxPollInterval", ex.Message, StringComparison.Ordinal);
    }
}
