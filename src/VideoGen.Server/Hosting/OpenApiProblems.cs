using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VideoGen.Server.Hosting;

/// <summary>
/// Problem details as the server writes them: RFC 7807 lets a problem carry extension members, and every one of ours
/// carries <c>traceId</c> (to find the request in the logs); some add more (e.g. <c>videoId</c> on a 503 after the
/// video was stored). The generator knows neither.
/// </summary>
internal sealed class OpenApiProblems : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (!typeof(Microsoft.AspNetCore.Mvc.ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type) || context.JsonPropertyInfo is not null)
        {
            return Task.CompletedTask;
        }
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, to find it in the server's logs." };
        schema.AdditionalProperties = new OpenApiSchema { Description = "Extension members (RFC 7807)." };
        return Task.CompletedTask;
    }
}
