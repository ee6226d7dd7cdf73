namespace FakeFal.Queue;

/// <summary>One line of a request's log as fal reports it in status responses.</summary>
public sealed record LogEntry(string Message, DateTimeOffset Timestamp, string Level = "INFO", string Source = "user");
