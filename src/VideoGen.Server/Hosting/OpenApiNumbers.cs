using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VideoGen.Server.Hosting;

/// <summary>
/// Numbers are JSON numbers: the generator, following the web defaults that also read numbers from strings,
/// would describe every number as "integer or string matching a pattern". The API writes numbers as numbers and
/// the videos API refuses strings (<c>JsonBody</c>), so the document says number only.
/// </summary>
internal sealed class OpenApiNumbers : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }
}
