namespace VideoGen.Testing.Chaos;

/// <summary>FakeFal fault mixes for chaos runs (<c>POST /_fake/config</c> JSON).</summary>
public static class ChaosFaults
{
    /// <summary>No faults.</summary>
    public const string None = """{"faults":{}}""";

    /// <summary>
    /// Every fault FakeFal has, mixed: at submit accept-then-5xx (a gateway's or CDN's HTML page), dropped
    /// answers after acceptance, unreadable answers, 429s and slow answers; slow, failing, dropped and
    /// rate-limited status calls; failing result fetches; duplicate, late, lost and early (before the
    /// submit's answer: out of order) webhooks; results that expire the moment they complete.
    /// </summary>
    public const string Mixed = """
        {"faults":{
          "duplicateWebhookRate":0.2, "lateWebhookRate":0.15, "lateWebhookDelay":"00:00:03",
          "lostWebhookRate":0.1, "earlyWebhookRate":0.05, "expiredResultRate":0.01,
          "routes":{
            "submit":{"serverErrorRate":0.03, "serverErrorAfterAccept":true, "serverErrorBody":"html", "serverErrorStatusCodes":[502,503,520,522,524],
                      "dropRate":0.02, "malformedJsonRate":0.01, "rateLimitRate":0.05, "retryAfterSeconds":1,
                      "slowRate":0.2, "slowDelay":"00:00:00.800"},
            "status":{"serverErrorRate":0.1, "dropRate":0.03, "rateLimitRate":0.05, "retryAfterSeconds":1, "slowRate":0.1, "slowDelay":"00:00:01"},
            "result":{"serverErrorRate":0.05, "dropRate":0.02, "slowRate":0.05, "slowDelay":"00:00:01"}
          }}}
        """;
}
