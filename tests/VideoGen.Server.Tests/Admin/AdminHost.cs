using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Queue;
using VideoGen.Server.Apis;
using VideoGen.Server.Hosting;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Admin;

/// <summary>
/// The real web host (<see cref="VideoGenHost.BuildWeb"/>: every registration, middleware and problem-details
/// handler of <c>videogen serve</c>) on its own temp DataDir and a free loopback port, with the admin API
/// mapped by <c>app.MapAdminApi()</c> unless the host already maps it (once the lead wires it in).
/// </summary>
internal sealed class AdminHost : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly WebApplication _app;

    private AdminHost(TempDir dir, WebApplication app, HttpClient http)
    {
        _dir = dir;
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<AdminHost> StartAsync(bool workersEnabled = false, string queueName = "videos")
    {
        var dir = new TempDir("videogen-admin");
        var app = VideoGenHost.BuildWeb(
        [
            "--urls=http://127.0.0.1:0",
            $"--VideoGen:DataDir={dir.Path}",
            $"--VideoGen:Workers:Enabled={(workersEnabled ? "true" : "false")}",
            $"--VideoGen:Queue:Name={queueName}",
            "--VideoGen:Providers:Local:QueueDelay=00:00:00.200",
            "--VideoGen:Providers:Local:MinRenderTime=00:00:00.500",
            "--Logging:LogLevel:Default=Warning",
        ]);
        if (!MapsAdminApi(app))
        {
            app.MapAdminApi();
        }

        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AdminHost(dir, app, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>The queue's store, to put jobs into exact states (no worker runs unless asked for).</summary>
    public IQueueStore Store(string queueName = "videos") => Services.GetRequiredService<JobQueues>().Get(queueName).Store;

    /// <summary>Enqueues <paramref name="id"/> and fails it for good, as a worker would after a permanent error.</summary>
    public async Task<string> FailedJobAsync(string id, string error = "boom", string queueName = "videos")
    {
        var store = Store(queueName);
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await store.EnqueueAsync(new EnqueueRequest { Id = id, Payload = id, MaxAttempts = 3 }, now, TestContext.Current.CancellationToken);
        var claimed = Assert.Single(await store.ClaimAsync(new ClaimRequest("test-worker", 1, TimeSpan.FromSeconds(30)), now, TestContext.Current.CancellationToken));
        Assert.Equal(id, claimed.Id);
        Assert.Equal(FailOutcome.Failed, await store.FailAsync(new JobFailure(id, claimed.LeaseToken, error, false, now), now, TestContext.Current.CancellationToken));
        return id;
    }

    private static bool MapsAdminApi(IEndpointRouteBuilder app) =>
        app.DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Any(e => e.RoutePattern.RawText?.StartsWith("/api/admin", StringComparison.Ordinal) == true);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _dir.Dispose();
    }
}
