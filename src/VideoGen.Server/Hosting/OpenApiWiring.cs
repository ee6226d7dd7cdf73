using Scalar.AspNetCore;

namespace VideoGen.Server.Hosting;

/// <summary>
/// The API's own description: the OpenAPI 3.1 document at <c>/openapi/v1.json</c> (built from the mapped routes and
/// their metadata) and the interactive reference at <c>/docs</c> (Scalar, served from the app itself, no CDN). Both are
/// public: the document describes routes anyone can already find and holds no secrets (docs/security.md).
/// </summary>
public static class OpenApiWiring
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/docs";

    public static IServiceCollection AddVideoGenOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddDocumentTransformer<OpenApiDocumentInfo>();
            o.AddDocumentTransformer<OpenApiHealthPaths>();
            o.AddOperationTransformer<OpenApiOperationDefaults>();
            o.AddOperationTransformer<OpenApiEventStreams>();
            o.AddSchemaTransformer<OpenApiNumbers>();
            o.AddSchemaTransformer<OpenApiProblems>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapVideoGenOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference(ReferencePath, o => o
                .WithTitle("VideoGen API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddDocument(DocumentName)
                // Inter and JetBrains Mono come from Scalar's CDN otherwise; the page must work offline and under our CSP.
                .DisableDefaultFonts()
                // A fresh nonce per request for the page's one inline script; SecurityHeaders puts it in the CSP.
                .WithNonce())
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
