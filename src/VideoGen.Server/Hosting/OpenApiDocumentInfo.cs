using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VideoGen.Server.Hosting;

/// <summary>The document's title, description and the two ways to authenticate (API key as bearer token, or the page's session cookie).</summary>
internal sealed class OpenApiDocumentInfo : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "apiKey";
    public const string SessionScheme = "session";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "VideoGen API",
            Version = "v1",
            Description = """
                Self-hosted AI video generation. Create a video with `POST /api/videos`, follow it with
                `GET /api/videos/{id}/events` (Server-Sent Events) or by polling `GET /api/videos/{id}`, and fetch the file
                from its `videoUrl`. Errors are RFC 7807 problem details. Authenticate with an API key
                (`Authorization: Bearer vg_…`, created under `/api/account/keys`) or the page's session cookie; a single-user
                server on loopback needs neither. The .NET client is `VideoGen.Client`; the CLI is `videogen`.
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key (vg_…) as a bearer token.",
        };
        document.Components.SecuritySchemes[SessionScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = ".AspNetCore.Identity.Application",
            Description = "The page's session cookie (sign in with POST /api/account/signin); mutations also need the X-CSRF-Token header from GET /api/account/me.",
        };
        return Task.CompletedTask;
    }
}
