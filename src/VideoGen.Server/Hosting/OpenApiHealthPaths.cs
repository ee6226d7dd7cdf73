using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VideoGen.Server.Hosting;

/// <summary>The health probes, which are not route handlers (so the generator does not see them): 200 "Healthy" or 503 "Unhealthy", plain text.</summary>
internal sealed class OpenApiHealthPaths : IOpenApiDocumentTransformer
{
    public static IReadOnlyDictionary<string, string> Probes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/health/live"] = "Liveness: the process serves HTTP.",
        ["/health/ready"] = "Readiness: the process can also reach its database and queue.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Paths ??= [];
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = "Health", Description = "Probes for load balancers and orchestrators." });
        foreach (var (path, summary) in Probes)
        {
            var text = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String} },
            };
            document.Paths[path] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        OperationId = path == "/health/live" ? "HealthLive" : "HealthReady",
                        Summary = summary,
                        Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                        Responses = new OpenApiResponses
                        {
                            ["200"] = new OpenApiResponse { Description = "Healthy", Content = text },
                            ["503"] = new OpenApiResponse { Description = "Unhealthy", Content = text },
                        },
                    },
                },
            };
        }
        return Task.CompletedTask;
    }
}
