using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoGen.Core.Providers.Fal;

public sealed partial class FalClient
{
    /// <summary>Items per page asked of fal's request list (its maximum).</summary>
    internal const int LookupPageSize = 100;

    /// <summary>
    /// One page of fal's platform API "list requests by endpoint" with payloads:
    /// <c>GET {PlatformBaseUrl}/models/requests/by-endpoint?endpoint_id=…&amp;start=…&amp;expand=payloads&amp;limit=100[&amp;cursor=…]</c>.
    /// Lists requests that have ended, sent at or after <paramref name="sentFrom"/>. Throws <see cref="ProviderException"/>.
    /// </summary>
    internal async Task<FalRequestList> ListRequestsAsync(string endpointId, DateTimeOffset sentFrom, string? cursor, CancellationToken ct)
    {
        var o = Options;
        var query = "endpoint_id=" + Uri.EscapeDataString(endpointId)
            + "&start=" + Uri.EscapeDataString(sentFrom.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            + "&expand=payloads&limit=" + LookupPageSize.ToString(CultureInfo.InvariantCulture)
            + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
        var url = new Uri(o.PlatformBaseUrl.AbsoluteUri.TrimEnd('/') + "/models/requests/by-endpoint?" + query);
        using var response = await SendAsync(HttpMethod.Get, Trusted(url.AbsoluteUri, "request list"), "lookup", ct).ConfigureAwait(false);
        if (!FalErrors.IsSuccess(response.StatusCode))
        {
            throw await FalErrors.FromResponseAsync(response, "lookup", time, ct).ConfigureAwait(false);
        }

        try
        {
            return await response.Content.ReadFromJsonAsync<FalRequestList>(FalJson.Options, ct).ConfigureAwait(false)
                ?? throw FalErrors.BadResponse("lookup", "empty body");
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            throw FalErrors.BadResponse("lookup", "invalid JSON", ex);
        }
    }
}

/// <summary>A page of fal's request list: <c>{items, next_cursor, has_more}</c>.</summary>
internal sealed record FalRequestList(IReadOnlyList<FalRequestListItem>? Items, string? NextCursor, bool HasMore);

/// <summary>One ended request in fal's list; <see cref="JsonInput"/> only with <c>expand=payloads</c> and fal's payload storage on.</summary>
internal sealed record FalRequestListItem(
    string? RequestId,
    string? EndpointId,
    DateTimeOffset? SentAt,
    DateTimeOffset? EndedAt,
    int? StatusCode,
    JsonObject? JsonInput);
