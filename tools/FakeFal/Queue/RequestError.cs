using System.Text.Json.Nodes;

namespace FakeFal.Queue;

/// <summary>
/// Why a completed request has no output: <see cref="Message"/> and <see cref="Type"/> appear as
/// <c>error</c> / <c>error_type</c> in the status, <see cref="Body"/> is served by the response URL
/// with <see cref="StatusCode"/>.
/// </summary>
public sealed record RequestError(string Message, string Type, int StatusCode, JsonObject Body);
