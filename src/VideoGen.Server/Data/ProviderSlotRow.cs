namespace VideoGen.Server.Data;

/// <summary>
/// One video's slot at a provider (issue 13), in the app database so every machine counts the same slots. Keyed by the
/// video, so taking it twice is one slot; a released row is kept for a minute so the submit rate can count it.
/// Instants are Unix milliseconds, the same in SQLite and PostgreSQL.
/// </summary>
public sealed class ProviderSlotRow
{
    public string VideoId { get; set; } = "";

    public string Provider { get; set; } = "";

    public string Model { get; set; } = "";

    public long TakenAtMs { get; set; }

    /// <summary>Null while the video occupies the provider.</summary>
    public long? ReleasedAtMs { get; set; }
}

/// <summary>An admin's run-time override of one provider's configured limits (issue 13), read by every machine.</summary>
public sealed class ProviderLimitsRow
{
    public string Provider { get; set; } = "";

    public int? MaxConcurrent { get; set; }

    public int? MaxSubmitsPerMinute { get; set; }

    /// <summary>Per-model concurrency as a JSON object (model id → limit).</summary>
    public string ModelsJson { get; set; } = "{}";

    public long UpdatedAtMs { get; set; }
}
