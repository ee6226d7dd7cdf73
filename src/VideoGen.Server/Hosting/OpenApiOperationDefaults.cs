using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace VideoGen.Server.Hosting;

/// <summary>
/// What every operation shares and minimal-API inference cannot see: which routes need a caller (a security
/// requirement naming both schemes), and the operation id (the route's name when it has one).
/// </summary>
internal sealed class OpenApiOperationDefaults : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiDocumentInfo.ApiKeyScheme, context.Document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiDocumentInfo.SessionScheme, context.Document)] = [] });
        }
        return Task.CompletedTask;
    }
}
