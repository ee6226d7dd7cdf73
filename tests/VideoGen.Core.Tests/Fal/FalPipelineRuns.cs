using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Pipeline;
using VideoGen.Core.Providers.Fal;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Fal;

/// <summary>
/// The real pipeline and fal provider wired as <c>videogen</c> wires them, against a FakeFal, with an in-memory
/// repository; and one run of it as the queue's worker makes it. Shared by the pipeline-through-FakeFal tests.
/// </summary>
internal static class FalPipelineRuns
{
    /// <summary>A container with <paramref name="settings"/> on top of the fal key, FakeFal's URLs and loopback allowed.</summary>
    public static ServiceProvider Build(InMemoryVideoRepository repo, string dataDir, Uri falBaseUrl, Uri fakeFal, IReadOnlyDictionary<string, string?> settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["VideoGen:Providers:Fal:Key"] = "test-id:test-secret",
            ["VideoGen:Providers:Fal:BaseUrl"] = falBaseUrl.ToString(),
            ["VideoGen:Providers:Fal:JwksUrl"] = new Uri(fakeFal, "/.well-known/jwks.json").ToString(),
            ["VideoGen:Providers:Fal:AllowLoopback"] = "true",
            ["VideoGen:Ingest:AllowLoopbackHttp"] = "true",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IVideoRepository>(repo);
        services.AddVideoGenCore(dataDir, config);
        services.AddFalProvider(config);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>A queued Kling text-to-video request for <paramref name="prompt"/>; returns its id.</summary>
    public static string AddVideo(InMemoryVideoRepository repo, string prompt)
    {
        var id = "vid-" + Guid.NewGuid().ToString("N");
        repo.Add(new Video
        {
            Id = id,
            Prompt = prompt,
            Model = FalModelCatalog.KlingTextToVideo,
            ParametersJson = """{"duration":"5","aspect_ratio":"16:9"}""",
            CreatedAt = TimeProvider.System.GetUtcNow(),
        });
        return id;
    }

    private const int MaxParks = 1000;

    /// <summary>One attempt as the queue's worker makes it, parks included (attempt <paramref name="attempt"/> of <paramref name="maxAttempts"/>), in its own scope.</summary>
    public static async Task<(VideoStatus? Status, Exception? Error)> RunAsync(ServiceProvider services, string id, int attempt, int maxAttempts, CancellationToken ct)
    {
        var job = new JobContext(
            new ClaimedJob { Id = id, Payload = id, LeaseToken = "lease", LeaseExpiresAt = TimeProvider.System.GetUtcNow().AddMinutes(5), Attempt = attempt, MaxAttempts = maxAttempts },
            "videos",
            (_, _) => Task.FromResult(true));
        // Once paid, a release without an attempt (the video parked at fal, or waiting out a transient failure) is the
        // queue running the job again after its delay, as the same attempt.
        for (var parks = 0; ; parks++)
        {
            await using var scope = services.CreateAsyncScope();
            try
            {
                return (await scope.ServiceProvider.GetRequiredService<VideoPipeline>().RunAsync(id, job, ct), null);
            }
            catch (RetryAfterException parked) when (parks < MaxParks && IsPaid(services, id))
            {
                await Task.Delay(parked.Delay, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return (null, ex);
            }
        }
    }

    private static bool IsPaid(ServiceProvider services, string id) =>
        services.GetRequiredService<IVideoRepository>() is InMemoryVideoRepository repo && repo.Get(id).ProviderRequestId is not null;
}
