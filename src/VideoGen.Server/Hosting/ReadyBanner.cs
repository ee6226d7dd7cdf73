using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using VideoGen.Server.Options;

namespace VideoGen.Server.Hosting;

/// <summary>
/// Prints one line once the process is really serving: <c>VideoGen ready at http://…</c> with
/// the bound address (so <c>--urls http://127.0.0.1:0</c> shows the port picked), or the worker's
/// line for worker-only processes. Scripts and tests wait for this line.
/// </summary>
internal sealed class ReadyBanner(
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    IOptions<WorkersOptions> workers,
    IOptions<QueueOptions> queue) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var server = services.GetService<IServer>();
        if (server is null)
        {
            Console.Out.WriteLine($"VideoGen worker ready (queue '{queue.Value.Name}', concurrency {workers.Value.Concurrency})");
            Console.Out.Flush();
            return;
        }
        if (server.GetType().FullName == "Microsoft.AspNetCore.TestHost.TestServer")
        {
            return; // In-memory test host: nothing listens.
        }
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is { Count: > 0 })
        {
            Console.Out.WriteLine($"VideoGen ready at {addresses.First()}");
            Console.Out.Flush();
        }
    }
}
