using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VideoGen.Server.Hosting;

/// <summary>
/// An event stream's 200 answer, described as what a client reads: <c>text/event-stream</c> whose events (type
/// <c>video</c>) carry the video's JSON, rather than the server-side <c>SseItem</c> wrapper the generator sees.
/// </summary>
internal sealed class OpenApiEventStreams : IOpenApiOperationTransformer
{
    public const string EventStreamType = "text/event-stream";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) != true || ok!.Content?.TryGetValue(EventStreamType, out var stream) != true)
        {
            return Task.CompletedTask;
        }
        stream!.Schema = new OpenApiSchemaReference("VideoDto", context.Document);
        if (ok is OpenApiResponse response)
        {
            response.Description = "Server-Sent Events: each `event: video` carries the video's JSON (the schema) when it changes; "
                + "comments are heartbeats; the stream ends after a terminal status.";
        }
        return Task.CompletedTask;
    }
}
