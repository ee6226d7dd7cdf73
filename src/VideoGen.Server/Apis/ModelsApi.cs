using VideoGen.Core.Models;

namespace VideoGen.Server.Apis;

/// <summary><c>GET /api/models</c>: the catalog the page and clients pick from, with each model's inputs.</summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models", GetModels).WithTags("Models")
            .Describe("ListModels", "List the models", "The catalog with each model's inputs (options with type, range, allowed values and default) and the default model.")
            .ProducesProblems(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static Microsoft.AspNetCore.Http.HttpResults.Ok<ModelListDto> GetModels(ModelCatalog catalog) =>
        TypedResults.Ok(new ModelListDto(ModelCatalog.DefaultModelId, catalog.All.Select(ModelDto.From).ToList()));
}

/// <summary>The catalog and the model used when a request names none.</summary>
public sealed record ModelListDto(string DefaultModel, IReadOnlyList<ModelDto> Items);

public sealed record ModelDto(
    string Id,
    string DisplayName,
    string Provider,
    string Description,
    bool RequiresImage,
    bool AcceptsImage,
    bool AcceptsNegativePrompt,
    bool AcceptsSeed,
    int MaxPromptLength,
    IReadOnlyList<ModelParameterDto> Parameters)
{
    public static ModelDto From(ModelInfo m) => new(
        m.Id, m.DisplayName, m.Provider, m.Description, m.RequiresImage, m.AcceptsImage, m.AcceptsNegativePrompt,
        m.AcceptsSeed, m.MaxPromptLength, m.Parameters.Select(ModelParameterDto.From).ToList());
}

public sealed record ModelParameterDto(
    string Name, string Kind, string? Default, IReadOnlyList<string>? AllowedValues, double? Min, double? Max, string? Description)
{
    public static ModelParameterDto From(ModelParameter p) =>
        new(p.Name, p.Kind.ToString().ToLowerInvariant(), p.Default, p.AllowedValues, p.Min, p.Max, p.Description);
}
