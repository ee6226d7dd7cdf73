using System.CommandLine;
using System.Globalization;
using VideoGen.Client;

namespace VideoGen.Server.Cli;

/// <summary>The client verbs about existing videos: <c>status</c>, <c>list</c>, <c>watch</c>, <c>cancel</c>, <c>delete</c>, <c>download</c>, and <c>models</c>.</summary>
internal static class VideoCommands
{
    public static IEnumerable<Command> Build(CliConsole console)
    {
        yield return Status(console);
        yield return List(console);
        yield return Watch(console);
        yield return Cancel(console);
        yield return Delete(console);
        yield return Download(console);
        yield return Models(console);
    }

    private static Argument<string> IdArgument() => new("ID") { Description = "The video's id" };

    private static Command Verb(string name, string description, out ClientOptions client, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument a:
                    command.Arguments.Add(a);
                    break;
                case Option o:
                    command.Options.Add(o);
                    break;
            }
        }
        client = new ClientOptions();
        client.AddTo(command);
        return command;
    }

    private static Command Status(CliConsole console)
    {
        var id = IdArgument();
        var command = Verb("status", "Show a video (exit 0 whatever its status)", out var client, id);
        command.SetAction((parse, ct) => ClientRun.ExecuteAsync(parse, client, console, async (run, token) =>
        {
            var video = await run.Client.GetVideoAsync(parse.GetValue(id)!, token);
            await (run.Json ? run.WriteJsonAsync(video) : VideoText.WriteAsync(run.Console.Out, video, run.Client.Server));
            return ExitCodes.Succeeded;
        }, ct));
        return command;
    }

    private static Command List(CliConsole console)
    {
        var status = new Option<string[]>("--status") { Description = $"Only these statuses (repeatable or comma-separated): {string.Join(", ", VideoStatuses.All)}", HelpName = "STATUS" };
        var search = new Option<string?>("--search", "-q") { Description = "Only videos whose prompt contains TEXT (case-insensitive)", HelpName = "TEXT" };
        var limit = new Option<int?>("--limit") { Description = "Page size, 1..100 (default 20)", HelpName = "N" };
        var cursor = new Option<string?>("--cursor") { Description = "The nextCursor of a previous page", HelpName = "CURSOR" };
        var command = Verb("list", "List videos, newest first", out var client, status, search, limit, cursor);
        command.SetAction((parse, ct) => ClientRun.ExecuteAsync(parse, client, console, async (run, token) =>
        {
            var statuses = (parse.GetValue(status) ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var page = await run.Client.ListVideosAsync(new VideoListQuery
            {
                Statuses = statuses.Count == 0 ? null : statuses,
                Search = parse.GetValue(search),
                Limit = parse.GetValue(limit),
                Cursor = parse.GetValue(cursor),
            }, token);
            if (run.Json)
            {
                await run.WriteJsonAsync(page);
                return ExitCodes.Succeeded;
            }
            foreach (var v in page.Items)
            {
                var prompt = v.Prompt.Length > 60 ? v.Prompt[..59] + "…" : v.Prompt;
                await run.Console.Out.WriteLineAsync($"{v.Id}\t{v.Status}\t{v.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}\t{v.Model}\t{prompt}");
            }
            if (page.NextCursor is not null)
            {
                await run.Console.Error.WriteLineAsync($"More: videogen list --cursor {page.NextCursor}");
            }
            return ExitCodes.Succeeded;
        }, ct));
        return command;
    }

    private static Command Watch(CliConsole console)
    {
        var id = IdArgument();
        var timeout = new Option<int?>("--timeout") { Description = "Give up after this many seconds (exit 9)", HelpName = "SECS" };
        var command = Verb("watch", "Follow a video live until it ends (exit by its final status)", out var client, id, timeout);
        command.SetAction((parse, ct) => ClientRun.ExecuteAsync(parse, client, console, async (run, token) =>
        {
            var video = await run.Client.GetVideoAsync(parse.GetValue(id)!, token);
            if (run.Json)
            {
                await run.WriteJsonAsync(video);
            }
            var limit = parse.GetValue(timeout) is { } secs ? TimeSpan.FromSeconds(secs) : Timeout.InfiniteTimeSpan;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(limit);
            try
            {
                if (run.Json)
                {
                    await foreach (var e in run.Client.WatchVideoAsync(video.Id, ct: deadline.Token))
                    {
                        video = e.Video;
                        await run.WriteJsonAsync(video);
                    }
                }
                else
                {
                    video = await LiveDisplay.FollowAsync(run, video, deadline.Token);
                }
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                return await run.FailAsync(ExitCodes.TimedOut, $"video {video.Id} did not finish within {limit.TotalSeconds:0} s (status: {video.Status}).");
            }
            if (!run.Json)
            {
                await run.Console.Out.WriteLineAsync("status: " + video.Status);
            }
            return video.Status == VideoStatuses.Succeeded
                ? ExitCodes.Succeeded
                : await run.FailAsync(VideoText.ExitCodeOf(video), VideoText.FinalMessage(video));
        }, ct));
        return command;
    }

    private static Command Cancel(CliConsole console)
    {
        var id = IdArgument();
        var command = Verb("cancel", "Cancel a video (a running one stops shortly after)", out var client, id);
        command.SetAction((parse, ct) => ClientRun.ExecuteAsync(parse, client, console, async (run, token) =>
        {
            var video = await run.Client.CancelVideoAsync(parse.GetValue(id)!, token);
            await (run.Json ? run.WriteJsonAsync(video) : run.Console.Out.WriteLineAsync(video.IsTerminal
                ? $"status: {video.Status}"
                : $"status: {video.Status} (cancel requested; videogen watch {video.Id} to see it end)"));
            return ExitCodes.Succeeded;
        }, ct));
        return command;
    }

    private static Command Delete(CliConsole console)
    {
        var id = IdArgument();
        var command = Verb("delete", "Delete a finished video and its files", out var client, id);
        command.SetAction((parse, ct) => ClientRun.ExecuteAsync(parse, client, console, async (run, token) =>
        {
            var videoId = parse.GetValue(id)!;
            await run.Client.DeleteVideoAsync(videoId, token);
            await (run.Json ? run.WriteJsonAsync(new { id = videoId, deleted = true }) : run.Console.Out.WriteLineAsync($"deleted: {videoId}"));
            return ExitCodes.Succeeded;
        }, ct));
        return command;
    }

    private static Command Download(CliConsole console)
    {
        var id = IdArgument();
        var output = new Option<string?>("--out", "-o") { Description = "Where to save it (default: ./<id>.mp4)", HelpName = "FILE" };
        var command = Verb("download", "Download a succeeded video's file", out var client, id, output);
        command.SetAction((parse, ct) => ClientRun.ExecuteAsync(parse, client, console, async (run, token) =>
        {
            var videoId = parse.GetValue(id)!;
            var path = Path.GetFullPath(parse.GetValue(output) ?? videoId + ".mp4");
            var video = await run.Client.DownloadVideoAsync(videoId, path, token);
            await (run.Json ? run.WriteJsonAsync(new { video, file = path }) : run.Console.Out.WriteLineAsync("file: " + path));
            return ExitCodes.Succeeded;
        }, ct));
        return command;
    }

    private static Command Models(CliConsole console)
    {
        var command = Verb("models", "List the models and their options", out var client);
        command.SetAction((parse, ct) => ClientRun.ExecuteAsync(parse, client, console, async (run, token) =>
        {
            var models = await run.Client.GetModelsAsync(token);
            if (run.Json)
            {
                await run.WriteJsonAsync(models);
                return ExitCodes.Succeeded;
            }
            foreach (var m in models.Items)
            {
                await run.Console.Out.WriteLineAsync($"{m.Id}{(m.Id == models.DefaultModel ? " (default)" : "")}\t{m.DisplayName}");
                foreach (var p in m.Parameters)
                {
                    var allowed = p.AllowedValues is { Count: > 0 } values ? " one of " + string.Join("|", values) : "";
                    var range = p.Min is not null || p.Max is not null ? $" {p.Min?.ToString(CultureInfo.InvariantCulture)}..{p.Max?.ToString(CultureInfo.InvariantCulture)}" : "";
                    await run.Console.Out.WriteLineAsync($"  --option {p.Name}=…\t{p.Kind}{range}{allowed}{(p.Default is null ? "" : ", default " + p.Default)}");
                }
            }
            return ExitCodes.Succeeded;
        }, ct));
        return command;
    }
}
