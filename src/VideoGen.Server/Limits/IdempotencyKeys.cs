namespace VideoGen.Server.Limits;

/// <summary>The <c>Idempotency-Key</c> header: what a key may be and how long its answer is kept.</summary>
public static class IdempotencyKeys
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>Set on an answer that repeats the first answer to the same key.</summary>
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    public const int MaxKeyLength = 200;

    /// <summary>How long a key's first answer is replayed.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>A claim whose request never finished (its server stopped) is taken over after this long.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(5);

    /// <summary>How long a request waits for an identical one that is still running before answering 409.</summary>
    public static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(10);

    /// <summary>1 to 200 visible ASCII characters (a UUID is typical).</summary>
    public static bool IsValid(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= '!' and <= '~');
}
