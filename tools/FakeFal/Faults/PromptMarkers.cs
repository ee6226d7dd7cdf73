using System.Text.Json.Nodes;

namespace FakeFal.Faults;

/// <summary>
/// Deterministic per-request faults: a prompt containing <c>[fakefal:error]</c>,
/// <c>[fakefal:validation]</c> or <c>[fakefal:nowebhook]</c> gets that fault regardless of rates,
/// so one test can fail a single request while others run clean in parallel.
/// </summary>
public static class PromptMarkers
{
    public const string Error = "error";
    public const string Validation = "validation";
    public const string NoWebhook = "nowebhook";

    public static bool Has(JsonObject input, string marker)
        => input["prompt"] is JsonValue v && v.TryGetValue<string>(out var prompt)
           && prompt.Contains($"[fakefal:{marker}]", StringComparison.OrdinalIgnoreCase);
}
