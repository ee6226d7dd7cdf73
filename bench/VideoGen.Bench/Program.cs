using VideoGen.Bench.Common;
using VideoGen.Bench.Queue;

// dotnet run -c Release --project bench/VideoGen.Bench -- queue --backend redis|sqlite
//   [--redis HOST:PORT] [--jobs N] [--concurrency C] [--data-dir DIR]
//   [--enqueue-jobs N] [--batch 1000] [--samples 300] [--time-limit 60]
// Prints one JSON line (see BenchResult); diagnostics go to stderr.
if (args.Length == 0 || args[0] != "queue")
{
    await Console.Error.WriteLineAsync("usage: VideoGen.Bench queue --backend redis|sqlite [--redis HOST:PORT] [--jobs N] [--concurrency C] [--data-dir DIR]");
    return 2;
}

var options = QueueBenchOptions.Parse(new BenchArgs(args.Skip(1)));
var time = TimeProvider.System;
await using var backend = await BenchBackend.OpenAsync(options, time);
var result = await new QueueBenchmark(options, backend, time).RunAsync(CancellationToken.None);
Console.Out.WriteLine(result.ToJsonLine());
return 0;
