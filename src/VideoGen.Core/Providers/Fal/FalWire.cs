using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoGen.Core.Providers.Fal;

/// <summary>JSON settings of fal's queue API: snake_case names, nulls omitted.</summary>
internal static class FalJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

/// <summary>fal's answer to a submit: the request id and the URLs to use from now on (never rebuilt by us).</summary>
internal sealed record FalSubmitResponse(
    string? RequestId,
    string? StatusUrl,
    string? ResponseUrl,
    string? CancelUrl,
    string? GatewayRequestId = null);

/// <summary>fal's status snapshot (<c>IN_QUEUE</c>, <c>IN_PROGRESS</c>, <c>COMPLETED</c>).</summary>
internal sealed record FalStatusResponse(
    string? Status,
    int? QueuePosition = null,
    IReadOnlyList<FalLogEntry>? Logs = null,
    string? Error = null,
    string? ErrorType = null,
    string? ResponseUrl = null,
    double? Progress = null);

internal sealed record FalLogEntry(string? Message, string? Level = null, string? Timestamp = null, string? Source = null);

/// <summary>fal's answer to cancel: <c>CANCELLATION_REQUESTED</c> or <c>ALREADY_COMPLETED</c>.</summary>
internal sealed record FalCancelResponse(string? Status);

/// <summary>Body of <c>POST {rest}/storage/upload/initiate</c>, as the official client sends it.</summary>
internal sealed record FalUploadInitiateRequest(string ContentType, string FileName);

/// <summary>fal storage's answer to initiate: where to PUT the bytes, and the URL the file will have.</summary>
internal sealed record FalUploadInitiateResponse(string? UploadUrl, string? FileUrl);
