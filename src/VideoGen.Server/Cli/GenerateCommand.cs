using System.CommandLine;
using System.Globalization;
using VideoGen.Client;

namespace VideoGen.Server.Cli;

/// <summary>
/// <c>videogen generate "prompt"</c>: creates a video on a running server, follows it with a live display, then
/// downloads the file. Prints the video id first (standard output), then <c>status:</c>, <c>file:</c> and
/// <c>videoUrl:</c> lines, or with <c>--json</c> the final video as one JSON object. With <c>--no-wait</c> it stops
/// after the id.
/// </summary>
internal static class GenerateCommand
{
    public static Command Build(CliConsole console)
    {
        var client = new ClientOptions();
        var prompt = new Argument<string>("prompt") { Description = "What the video shows (quote it)" };
        var model = new Option<string?>("--model") { Description = "Model id (see videogen models, or GET /api/models); default: the server's", HelpName = "ID" };
        var option = new Option<string[]>("--option", "--param") { Description = "A model option, e.g. --option duration=6 (repeatable)", HelpName = "K=V" };
        var image = new Option<string?>("--image") { Description = "An image for image-to-video models: a file (uploaded) or an http(s) URL", HelpName = "FILE|URL" };
        var negative = new Option<string?>("--negative") { Description = "Negative prompt (models that take one)", HelpName = "TEXT" };
        var seed = new Option<long?>("--seed") { Description = $"Seed, 0..{uint.MaxValue}", HelpName = "N" };
        seed.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && (!long.TryParse(r.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s > uint.MaxValue))
            {
                r.AddError($"--seed must be a whole number from 0 to {uint.MaxValue} (got '{r.Tokens[0].Value}').");
            }
        });
        var output = new Option<string?>("--out", "-o") { Description = "Where to save the video (default: ./<id>.mp4)", HelpName = "FILE" };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the id and return at once (no live display, no download)" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the video (the default; kept for older scripts)", Hidden = true };
        var timeout = new Option<int>("--timeout") { Description = "How long to wait for the video, in seconds (default 600)", HelpName = "SECS", DefaultValueFactory = _ => 600 };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--timeout must be a positive number of seconds.");
            }
        });

        var command = new Command("generate", "Create a video, show it live, then download it") { prompt, model, option, image, negative, seed, output, noWait, wait, timeout };
        client.AddTo(command);
        command.SetAction((parse, ct) => ClientRun.ExecuteAsync(parse, client, console, async (run, token) =>
        {
            var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(option) ?? [])
            {
                var kv = pair.Split('=', 2);
                if (kv.Length != 2 || kv[0].Length == 0)
                {
                    throw new UsageException($"--option takes NAME=VALUE (got '{pair}').");
                }
                parameters[kv[0]] = kv[1];
            }
            var request = new CreateVideoRequest
            {
                Prompt = parse.GetValue(prompt)!,
                Model = parse.GetValue(model),
                Seed = parse.GetValue(seed),
                NegativePrompt = parse.GetValue(negative),
                ImageUrl = await ImageUrlAsync(run, parse.GetValue(image), token),
                Parameters = parameters.Count == 0 ? null : parameters,
            };
            var video = await run.Client.CreateVideoAsync(request, token);
            if (parse.GetValue(noWait))
            {
                if (run.Json)
                {
                    await run.WriteJsonAsync(video);
                }
                else
                {
                    await run.Console.Out.WriteLineAsync(video.Id);
                }
                return ExitCodes.Succeeded;
            }
            if (!run.Json)
            {
                await run.Console.Out.WriteLineAsync(video.Id);
            }
            var limit = TimeSpan.FromSeconds(parse.GetValue(timeout));
            return await FinishAsync(run, video, parse.GetValue(output) ?? video.Id + ".mp4", limit, token);
        }, ct));
        return command;
    }

    /// <summary>Follows the video to its end (within <paramref name="limit"/>), downloads it when it succeeded, prints the result.</summary>
    internal static async Task<int> FinishAsync(ClientRun run, Video video, string? path, TimeSpan limit, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        try
        {
            video = await LiveDisplay.FollowAsync(run, video, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var now = await run.Client.GetVideoAsync(video.Id, ct);
            return await run.FailAsync(ExitCodes.TimedOut, $"video {video.Id} did not finish within {limit.TotalSeconds:0} s (status: {now.Status}).", video: now);
        }
        if (video.Status != VideoStatuses.Succeeded)
        {
            if (!run.Json)
            {
                await run.Console.Out.WriteLineAsync("status: " + video.Status);
            }
            return await run.FailAsync(VideoText.ExitCodeOf(video), VideoText.FinalMessage(video), video: video);
        }
        string? saved = null;
        if (path is not null)
        {
            saved = Path.GetFullPath(path);
            await run.Client.DownloadVideoAsync(video.Id, saved, ct);
        }
        if (run.Json)
        {
            await run.WriteJsonAsync(new { video, file = saved });
        }
        else
        {
            await run.Console.Out.WriteLineAsync("status: " + video.Status);
            if (saved is not null)
            {
                await run.Console.Out.WriteLineAsync("file: " + saved);
            }
            await run.Console.Out.WriteLineAsync("videoUrl: " + run.Client.Resolve(video.VideoUrl!));
        }
        return ExitCodes.Succeeded;
    }

    /// <summary>An image file is uploaded first; a URL is passed as it is.</summary>
    private static async Task<string?> ImageUrlAsync(ClientRun run, string? image, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return null;
        }
        if (File.Exists(image))
        {
            return (await run.Client.UploadImageFileAsync(image, ct)).Url;
        }
        if (image.StartsWith("/media/uploads/", StringComparison.Ordinal))
        {
            return image;
        }
        if (Uri.TryCreate(image, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return image;
        }
        throw new UsageException($"--image must be an image file that exists or an http(s) URL (got '{image}').");
    }
}
