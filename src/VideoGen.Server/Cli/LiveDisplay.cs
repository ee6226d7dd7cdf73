using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using VideoGen.Client;

namespace VideoGen.Server.Cli;

/// <summary>
/// Follows a video to its end and shows it while it runs. On a terminal: a live panel (Spectre.Console) with the
/// status, the provider's queue position, a progress bar, the elapsed time and the latest log lines. Otherwise (output
/// redirected, <c>--json</c>): one line on standard error each time the summary changes.
/// </summary>
internal static class LiveDisplay
{
    private const int LogLines = 4;

    public static async Task<Video> FollowAsync(ClientRun run, Video video, CancellationToken ct)
    {
        if (video.IsTerminal)
        {
            return video;
        }
        if (!run.Console.IsInteractive || run.Json)
        {
            return await FollowAsLinesAsync(run, video, ct);
        }
        var clock = Stopwatch.StartNew();
        var latest = new Latest(video);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Events are read apart from drawing, so the elapsed time keeps moving while the video is quiet.
        var pump = Task.Run(async () =>
        {
            await foreach (var e in run.Client.WatchVideoAsync(video.Id, ct: stop.Token))
            {
                latest.Video = e.Video;
            }
        }, stop.Token);
        try
        {
            await run.Console.Live.Live(Render(video, clock.Elapsed)).AutoClear(false).StartAsync(async context =>
            {
                while (!pump.IsCompleted)
                {
                    await Task.WhenAny(pump, Task.Delay(TimeSpan.FromMilliseconds(250), ct));
                    ct.ThrowIfCancellationRequested();
                    context.UpdateTarget(Render(latest.Video, clock.Elapsed));
                    context.Refresh();
                }
            });
            await pump;
        }
        finally
        {
            await stop.CancelAsync();
            await pump.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
        var last = latest.Video;
        return last.IsTerminal ? last : await run.Client.GetVideoAsync(video.Id, ct);
    }

    private static async Task<Video> FollowAsLinesAsync(ClientRun run, Video video, CancellationToken ct)
    {
        var last = video;
        string? shown = null;
        await foreach (var e in run.Client.WatchVideoAsync(video.Id, ct: ct))
        {
            last = e.Video;
            var line = VideoText.Summary(last);
            if (line != shown)
            {
                shown = line;
                await run.Console.Error.WriteLineAsync("… " + line);
            }
        }
        return last.IsTerminal ? last : await run.Client.GetVideoAsync(video.Id, ct);
    }

    /// <summary>The latest video the stream reported, written by the reader and read by the drawing loop.</summary>
    private sealed class Latest(Video video)
    {
        private Video _video = video;

        public Video Video
        {
            get => Volatile.Read(ref _video);
            set => Volatile.Write(ref _video, value);
        }
    }

    private static IRenderable Render(Video video, TimeSpan elapsed)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Markup("[grey]video[/]"), new Text(video.Id));
        grid.AddRow(new Markup("[grey]status[/]"), new Markup(StatusMarkup(video.Status)));
        if (video.QueuePosition is { } position)
        {
            grid.AddRow(new Markup("[grey]queue[/]"), new Text($"position {position.ToString(CultureInfo.InvariantCulture)} at the provider"));
        }
        grid.AddRow(new Markup("[grey]progress[/]"), new Text(Bar(video.Progress)));
        grid.AddRow(new Markup("[grey]elapsed[/]"), new Text(elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture)));
        foreach (var log in video.Logs.TakeLast(LogLines))
        {
            grid.AddRow(new Markup("[grey]log[/]"), new Text(log));
        }
        return new Panel(grid).Header(Markup.Escape(Truncate(video.Prompt, 60))).RoundedBorder();
    }

    private static string Bar(double? progress)
    {
        const int width = 30;
        if (progress is not { } p)
        {
            return new string('░', width) + "  …";
        }
        var filled = (int)Math.Round(Math.Clamp(p, 0, 1) * width);
        return new string('█', filled) + new string('░', width - filled) + "  " + (Math.Clamp(p, 0, 1) * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
    }

    private static string StatusMarkup(string status) => status switch
    {
        VideoStatuses.Succeeded => "[green]succeeded[/]",
        VideoStatuses.Failed => "[red]failed[/]",
        VideoStatuses.Canceled => "[yellow]canceled[/]",
        _ => "[blue]" + Markup.Escape(status) + "[/]",
    };

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
