namespace VideoGen.Server.Apis;

/// <summary>
/// Route metadata for the OpenAPI document that minimal-API inference cannot see: the problem statuses a handler
/// answers with <c>TypedResults.Problem</c> (a <c>ProblemHttpResult</c> names no status), and those every route of a
/// kind shares (401 for routes that need a caller, 403 for mutations refused as cross-site).
/// </summary>
internal static class ApiDocs
{
    /// <summary>Documents each of <paramref name="statuses"/> as an RFC 7807 problem answer.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        }
        return builder;
    }

    /// <summary>Names the route (the operation id) and says in one line what it does.</summary>
    public static TBuilder Describe<TBuilder>(this TBuilder builder, string name, string summary, string? description = null)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithName(name).WithSummary(summary);
        if (description is not null)
        {
            builder.WithDescription(description);
        }
        return builder;
    }
}
