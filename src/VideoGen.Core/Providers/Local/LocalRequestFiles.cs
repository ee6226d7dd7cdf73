using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VideoGen.Core.Providers.Local;

/// <summary>What the local renderer persists about one request (request.json).</summary>
internal sealed record LocalRequestRecord(string RequestId, string VideoId, string Model, string Prompt, long? Seed, int DurationSeconds, string AspectRatio, DateTimeOffset SubmittedAt);

/// <summary>
/// The on-disk layout of one request, {WorkDir}/{requestId}/: request.json (written at submit),
/// output.mp4 (moved into place when the render finished), done (marker written after the move),
/// failed.json or canceled (terminal markers). A directory with request.json and no terminal
/// marker is an interrupted render, which the provider restarts on the next status query.
/// </summary>
internal sealed class LocalRequestFiles(string workDir, string requestId)
{
    private const string Prefix = "lp-";

    public string RequestId { get; } = requestId;
    public string Dir { get; } = Path.Combine(workDir, requestId);
    public string RequestJson => Path.Combine(Dir, "request.json");
    public string Output => Path.Combine(Dir, "output.mp4");
    /// <summary>A fresh name per render attempt, so a killed ffmpeg still exiting can never clobber its successor's output.</summary>
    public string NewPartialOutput() => Path.Combine(Dir, $"output.{Guid.NewGuid():N}.partial.mp4");
    public string DoneMarker => Path.Combine(Dir, "done");
    public string FailedJson => Path.Combine(Dir, "failed.json");
    public string CanceledMarker => Path.Combine(Dir, "canceled");
    public string PromptFile => Path.Combine(Dir, LocalScene.PromptFileName);

    /// <summary>Request ids derive from the video id, so a repeated submit for one video re-attaches instead of rendering twice.</summary>
    public static string RequestIdFor(string videoId) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("local-preview:" + videoId)))[..32];

    /// <summary>Only ids we could have issued are accepted (they become directory names).</summary>
    public static bool IsValidRequestId(string id) =>
        id.Length == Prefix.Length + 32 && id.StartsWith(Prefix, StringComparison.Ordinal) && id[Prefix.Length..].All(char.IsAsciiHexDigitLower);

    public bool IsDone => File.Exists(DoneMarker) && File.Exists(Output);
    public bool IsCanceled => File.Exists(CanceledMarker);
    public bool Exists => File.Exists(RequestJson);

    public LocalRequestRecord? ReadRequest()
    {
        try
        {
            return JsonSerializer.Deserialize<LocalRequestRecord>(File.ReadAllText(RequestJson));
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    public string? ReadFailure()
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(FailedJson));
            return doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : "render failed";
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    public void WriteRequest(LocalRequestRecord record)
    {
        Directory.CreateDirectory(Dir);
        WriteAtomic(RequestJson, JsonSerializer.Serialize(record));
    }

    public void WriteFailure(string error) => WriteAtomic(FailedJson, JsonSerializer.Serialize(new { error }));

    public void WriteCanceled() => WriteAtomic(CanceledMarker, "canceled");

    public void WriteDone() => WriteAtomic(DoneMarker, "done");

    private static void WriteAtomic(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
