using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using VideoGen.Server.Apis;

namespace VideoGen.Server.Cli;

/// <summary>
/// <c>videogen generate</c>: a thin HTTP client of a running server. Prints the video id on the
/// first line; with <c>--wait</c> then <c>status: …</c> and, when it succeeded, <c>videoUrl: …</c>.
/// Exit codes: 0 accepted (or succeeded with --wait), 1 rejected / failed / unreachable, 2 bad arguments.
/// </summary>
public static class GenerateCommand
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How the request body is written: the API's own JSON conventions, options not given left out.</summary>
    internal static readonly JsonSerializerOptions RequestJson = new(JsonBody.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var (apiKey, rest) = ApiKeyArgument.Extract(args);
        if (rest is null)
        {
            return Usage.Fail(error, $"{ApiKeyArgument.Option} needs a value.");
        }
        var parsed = GenerateArgs.Parse(rest, out var problem);
        if (parsed is null)
        {
            return Usage.Fail(error, problem);
        }

        using var http = new HttpClient { BaseAddress = parsed.Server, Timeout = TimeSpan.FromSeconds(30) };
        ApiKeyArgument.Apply(http, apiKey);
        try
        {
            using var response = await http.PostAsJsonAsync("api/videos", parsed.ToCreateVideoBody(), RequestJson, ct);
            var json = await ReadJsonAsync(response, ct);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"error: the server refused the request ({(int)response.StatusCode}): {DescribeProblem(json)}");
                return 1;
            }
            var id = json.GetProperty("id").GetString()!;
            await output.WriteLineAsync(id);
            if (!parsed.Wait)
            {
                return 0;
            }
            return await WaitAsync(http, id, parsed, output, error, ct);
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"error: cannot reach the server at {parsed.Server} ({e.Message}). Is `videogen serve` running? Use --server URL to point elsewhere.");
            return 1;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            await error.WriteLineAsync($"error: the server at {parsed.Server} did not answer in time.");
            return 1;
        }
    }

    private static async Task<int> WaitAsync(HttpClient http, string id, GenerateArgs args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(args.Timeout);
        string? lastStatus = null;
        try
        {
            while (true)
            {
                using var response = await http.GetAsync($"api/videos/{Uri.EscapeDataString(id)}", deadline.Token);
                var json = await ReadJsonAsync(response, deadline.Token);
                if (!response.IsSuccessStatusCode)
                {
                    await error.WriteLineAsync($"error: could not read video {id} ({(int)response.StatusCode}): {DescribeProblem(json)}");
                    return 1;
                }
                var status = json.GetProperty("status").GetString();
                if (status != lastStatus)
                {
                    lastStatus = status;
                    await error.WriteLineAsync($"… {status}");
                }
                switch (status)
                {
                    case "succeeded":
                        await output.WriteLineAsync("status: succeeded");
                        var url = json.GetProperty("videoUrl").GetString()!;
                        await output.WriteLineAsync("videoUrl: " + new Uri(args.Server, url));
                        return 0;
                    case "failed" or "canceled":
                        await output.WriteLineAsync("status: " + status);
                        if (json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                        {
                            await output.WriteLineAsync("error: " + e.GetString());
                        }
                        return 1;
                }
                await Task.Delay(PollInterval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await error.WriteLineAsync($"error: video {id} did not finish within {args.Timeout.TotalSeconds:0} s (last status: {lastStatus}).");
            return 1;
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var doc = JsonDocument.Parse("{}");
            return doc.RootElement.Clone();
        }
    }

    private static string DescribeProblem(JsonElement json)
    {
        var parts = new List<string>();
        if (json.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
        {
            parts.Add(title.GetString()!);
        }
        if (json.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
        {
            parts.Add(detail.GetString()!);
        }
        if (json.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                parts.Add($"{field.Name}: {string.Join(" ", field.Value.EnumerateArray().Select(m => m.GetString()))}");
            }
        }
        return parts.Count == 0 ? "no details" : string.Join(" — ", parts);
    }
}
