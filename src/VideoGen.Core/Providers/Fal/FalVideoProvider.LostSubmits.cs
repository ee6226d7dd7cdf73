using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace VideoGen.Core.Providers.Fal;

public sealed partial class FalVideoProvider
{
    /// <summary>Pages of fal's request list read per lookup (100 requests each); a busier endpoint is not searched further.</summary>
    internal const int LookupMaxPages = 10;

    /// <summary>Clock difference tolerated between us and fal when asking for requests sent after a submit started.</summary>
    internal static readonly TimeSpan LookupClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>fal lists requests (platform API "list requests by endpoint"), unless <see cref="FalOptions.FindLostSubmits"/> is off.</summary>
    public bool CanFindLostSubmits => options.CurrentValue.FindLostSubmits;

    /// <summary>
    /// fal's ended requests of the video's endpoint, sent since <paramref name="sentFrom"/> (less a clock skew), whose
    /// input equals the input this video would be submitted with — except <c>image_url</c>, which an upload to fal
    /// storage makes new on every try. fal lists a request only once it ended, and shows its input only with payload
    /// storage on; at most <see cref="LookupMaxPages"/> pages are read.
    /// </summary>
    public async Task<IReadOnlyList<ProviderHandle>> FindLostSubmitsAsync(ProviderRequest request, DateTimeOffset sentFrom, CancellationToken ct)
    {
        if (!CanFindLostSubmits || FalModelCatalog.Find(request.Model) is not { } model)
        {
            return [];
        }

        var expected = WithoutImage(FalInputMapper.Map(model, request with { ImageUrl = request.ImageUrl ?? "https://image.invalid/" }));
        var from = sentFrom - LookupClockSkew;
        var found = new List<(DateTimeOffset SentAt, ProviderHandle Handle)>();
        string? cursor = null;
        for (var page = 0; page < LookupMaxPages; page++)
        {
            var list = await Client().ListRequestsAsync(request.Model, from, cursor, ct).ConfigureAwait(false);
            foreach (var item in list.Items ?? [])
            {
                if (item.EndpointId == request.Model && item.RequestId is { } id && item.SentAt is { } sentAt && sentAt >= from
                    && item.JsonInput is { } input && JsonNode.DeepEquals(WithoutImage(input), expected)
                    && HandleFor(request.Model, id) is { } handle)
                {
                    found.Add((sentAt, handle));
                }
            }

            if (!list.HasMore || string.IsNullOrEmpty(list.NextCursor))
            {
                break;
            }

            cursor = list.NextCursor;
        }

        if (found.Count > 0)
        {
            logger.LogInformation("fal lists {Count} request(s) matching video {VideoId}'s lost submit", found.Count, request.VideoId);
        }

        return [.. found.OrderBy(f => f.SentAt).Select(f => f.Handle)];
    }

    /// <summary>A copy read back from its JSON text (so numbers compare by value, as sent), without <c>image_url</c>.</summary>
    private static JsonObject WithoutImage(JsonObject input)
    {
        var copy = JsonNode.Parse(input.ToJsonString(FalJson.Options))!.AsObject();
        copy.Remove("image_url");
        return copy;
    }
}
