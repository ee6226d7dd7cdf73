using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VideoGen.Testing.Chaos;

/// <summary>
/// The account of a chaos run, matched video by video between the app (the API's list) and fal
/// (FakeFal's per-request counts, by the video id sent as idempotency key). The lines that must be 0:
/// <see cref="SubmittedTwice"/>, <see cref="CompletedNotDelivered"/> (with webhooks on),
/// <see cref="Stuck"/>, <see cref="Missing"/>, <see cref="FailedWithoutCause"/>,
/// <see cref="CanceledWithoutCause"/> and <see cref="RefusedButSubmitted"/>. A failure or cancel has a
/// cause when the run asked for it: a prompt marker (fal's error result, fal's refusal at submit), the
/// owner's cancel, or a result FakeFal expired on purpose (a result the provider lost).
/// </summary>
public sealed class ChaosLedger
{
    public required int Accepted { get; init; }

    public required int CreateRefused { get; init; }

    /// <summary>Videos in the API's list that the run never saw accepted (a create that answered an error, yet made a row).</summary>
    public required int ListedNotAccepted { get; init; }

    public required long Submissions { get; init; }

    public required int CompletedAtFal { get; init; }

    public required int Succeeded { get; init; }

    public required IReadOnlyDictionary<string, int> FailedByReason { get; init; }

    public required int Canceled { get; init; }

    public required int CanceledByOwner { get; init; }

    public required IReadOnlyList<string> SubmittedTwice { get; init; }

    /// <summary>Videos whose fal request completed with a result but that did not succeed, each with its end state; excludes the owner's cancels and results FakeFal expired on purpose.</summary>
    public required IReadOnlyList<string> CompletedNotDelivered { get; init; }

    /// <summary>Videos whose result FakeFal expired at completion (injected) and that did not succeed, each with its end state.</summary>
    public required IReadOnlyList<string> LostAtFal { get; init; }

    public required IReadOnlyList<string> Stuck { get; init; }

    /// <summary>Accepted videos the API's list does not show.</summary>
    public required IReadOnlyList<string> Missing { get; init; }

    public required IReadOnlyList<string> FailedWithoutCause { get; init; }

    public required IReadOnlyList<string> CanceledWithoutCause { get; init; }

    /// <summary>Videos fal refused at submit (marker) that FakeFal nevertheless counted as submitted.</summary>
    public required IReadOnlyList<string> RefusedButSubmitted { get; init; }

    public required bool Webhooks { get; init; }

    public required string Run { get; init; }

    /// <summary>Builds the ledger from the accepted videos, their final state in the API and FakeFal's stats.</summary>
    public static ChaosLedger Build(IReadOnlyList<ChaosVideo> accepted, int createRefused, IReadOnlyList<VideoSeen> final, JsonElement stats, bool webhooks, string run)
    {
        var byId = final.ToDictionary(v => v.Id, StringComparer.Ordinal);
        var acceptedIds = accepted.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
        var fal = FalRequestsSeen.ByVideo(stats);
        var perKey = stats.GetProperty("submissions").GetProperty("by_idempotency_key");
        int SubmissionsOf(string id) => perKey.TryGetProperty(id, out var n) ? n.GetInt32() : 0;
        List<FalRequestSeen> RequestsOf(string id) => fal.GetValueOrDefault(id) ?? [];

        var failedByReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        List<string> twice = [], notDelivered = [], lost = [], stuck = [], missing = [], failedWithoutCause = [], canceledWithoutCause = [], refusedButSubmitted = [];
        int completedAtFal = 0, succeeded = 0, canceled = 0;
        foreach (var video in accepted)
        {
            var requests = RequestsOf(video.Id);
            var submissions = SubmissionsOf(video.Id);
            var completed = requests.Any(r => r.Outcome == "succeeded");
            var expiredByFault = requests.Any(r => r.ResultExpiredByFault);
            completedAtFal += completed ? 1 : 0;
            if (submissions > 1)
            {
                twice.Add($"{video.Id} ({submissions} submissions)");
            }

            if (video.Refused && submissions > 0)
            {
                refusedButSubmitted.Add(video.Id);
            }

            if (!byId.TryGetValue(video.Id, out var seen))
            {
                missing.Add(video.Id);
                continue;
            }

            var end = seen.ErrorType is null ? seen.Status : $"{seen.Status}: {seen.ErrorType}";
            switch (seen.Status)
            {
                case "succeeded":
                    succeeded++;
                    break;
                case "failed":
                    failedByReason[seen.ErrorType ?? "(none)"] = failedByReason.GetValueOrDefault(seen.ErrorType ?? "(none)") + 1;
                    var caused = (video.ProviderError && requests.Any(r => r.Outcome == "failed"))
                        || (video.Refused && submissions == 0)
                        || expiredByFault;
                    if (!caused)
                    {
                        failedWithoutCause.Add($"{video.Id} ({seen.ErrorType}; {submissions} submissions{(completed ? ", completed at fal" : "")})");
                    }

                    break;
                case "canceled":
                    canceled++;
                    if (!video.CanceledByOwner)
                    {
                        canceledWithoutCause.Add($"{video.Id} (cancel answer {video.CancelAnswer})");
                    }

                    break;
                default:
                    stuck.Add($"{video.Id} ({seen.Status})");
                    break;
            }

            if (completed && seen.Status != "succeeded" && !video.CanceledByOwner && ChaosApi.IsTerminal(seen.Status))
            {
                (expiredByFault ? lost : notDelivered).Add($"{video.Id} ({end})");
            }
        }

        return new ChaosLedger
        {
            Accepted = accepted.Count,
            CreateRefused = createRefused,
            ListedNotAccepted = final.Count(v => !acceptedIds.Contains(v.Id)),
            Submissions = stats.GetProperty("submissions").GetProperty("total").GetInt64(),
            CompletedAtFal = completedAtFal,
            Succeeded = succeeded,
            FailedByReason = failedByReason,
            Canceled = canceled,
            CanceledByOwner = accepted.Count(v => v.CanceledByOwner),
            SubmittedTwice = twice,
            CompletedNotDelivered = notDelivered,
            LostAtFal = lost,
            Stuck = stuck,
            Missing = missing,
            FailedWithoutCause = failedWithoutCause,
            CanceledWithoutCause = canceledWithoutCause,
            RefusedButSubmitted = refusedButSubmitted,
            Webhooks = webhooks,
            Run = run,
        };
    }

    /// <summary>The ledger as a Markdown table (plus the named videos of every non-empty must-be-zero line).</summary>
    public override string ToString()
    {
        var s = new StringBuilder();
        s.Append(Run).Append('\n').Append('\n');
        s.Append("| line | videos |\n|---|---|\n");
        Row(s, "accepted (202)", Accepted);
        Row(s, "create refused (not 202)", CreateRefused);
        Row(s, "listed but not seen accepted", ListedNotAccepted);
        Row(s, "submissions FakeFal counted", Submissions);
        Row(s, "fal request completed with a result", CompletedAtFal);
        Row(s, "succeeded", Succeeded);
        foreach (var (reason, n) in FailedByReason)
        {
            Row(s, $"failed: {reason}", n);
        }

        Row(s, "canceled (by the owner: " + CanceledByOwner.ToString(CultureInfo.InvariantCulture) + " accepted cancels)", Canceled);
        Row(s, "result lost at fal (expired on purpose), not delivered", LostAtFal.Count);
        Row(s, "**submitted twice** (must be 0)", SubmittedTwice.Count);
        Row(s, $"**completed at fal but not delivered** ({(Webhooks ? "webhooks on: must be 0" : "polling only: each named")})", CompletedNotDelivered.Count);
        Row(s, "**stuck** (not terminal after the grace; must be 0)", Stuck.Count);
        Row(s, "**failed without a cause the run injected** (must be 0)", FailedWithoutCause.Count);
        Row(s, "**canceled without the owner's cancel** (must be 0)", CanceledWithoutCause.Count);
        Row(s, "**refused at submit but counted by fal** (must be 0)", RefusedButSubmitted.Count);
        Row(s, "**accepted but missing from the list** (must be 0)", Missing.Count);
        Named(s, "submitted twice", SubmittedTwice);
        Named(s, "completed at fal but not delivered", CompletedNotDelivered);
        Named(s, "result lost at fal", LostAtFal);
        Named(s, "stuck", Stuck);
        Named(s, "failed without cause", FailedWithoutCause);
        Named(s, "canceled without cause", CanceledWithoutCause);
        Named(s, "refused but submitted", RefusedButSubmitted);
        Named(s, "missing", Missing);
        return s.ToString();
    }

    private static void Row(StringBuilder s, string line, long n) =>
        s.Append("| ").Append(line).Append(" | ").Append(n.ToString("N0", CultureInfo.InvariantCulture)).Append(" |\n");

    private static void Named(StringBuilder s, string what, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        const int Shown = 50;
        s.Append('\n').Append(what).Append(": ").Append(string.Join(", ", ids.Take(Shown)));
        if (ids.Count > Shown)
        {
            s.Append(CultureInfo.InvariantCulture, $" … and {ids.Count - Shown} more");
        }

        s.Append('\n');
    }
}
