using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using VideoGen.Queue;
using VideoGen.Queue.ChaosWorker;
using VideoGen.Queue.Redis;

// Usage: ChaosWorker <redis host:port> <queue> <concurrency> <lease ms> <max event entries>
// Runs one QueueWorker until killed (the test SIGKILLs it) or until stdin closes.
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: ChaosWorker <redis> <queue> <concurrency> <lease-ms> <max-event-entries>");
    return 2;
}

var (endpoint, queue) = (args[0], args[1]);
var concurrency = int.Parse(args[2], CultureInfo.InvariantCulture);
var lease = TimeSpan.FromMilliseconds(int.Parse(args[3], CultureInfo.InvariantCulture));
var maxEvents = int.Parse(args[4], CultureInfo.InvariantCulture);

await using var factory = new RedisQueueStoreFactory(endpoint, new RedisQueueOptions { MaxEventEntries = maxEvents, TransientRetryBudget = TimeSpan.FromSeconds(30) });
var store = factory.Open(queue);
var options = new QueueWorkerOptions
{
    WorkerId = $"chaos-{Environment.ProcessId}",
    Concurrency = concurrency,
    LeaseDuration = lease,
    HeartbeatInterval = lease / 4,
    RecoveryInterval = TimeSpan.FromMilliseconds(500),
    IdleWaitCeiling = TimeSpan.FromSeconds(1),
    ShutdownTimeout = TimeSpan.FromSeconds(2),
};
var handler = new ChaosHandler(factory.Connection.GetDatabase(), queue, options.WorkerId);
await using var worker = new QueueWorker(store, handler, options, TimeProvider.System, NullLogger<QueueWorker>.Instance);
await worker.StartAsync();
Console.WriteLine($"ready {options.WorkerId}");

// Ends when the test closes stdin (a graceful stop); a SIGKILL ends it without any of this.
await Task.Run(() => Console.In.ReadToEnd());
await worker.StopAsync();
return 0;
