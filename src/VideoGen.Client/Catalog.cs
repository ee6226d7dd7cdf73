using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoGen.Client;

/// <summary>The model catalog (<c>GET /api/models</c>) and the model used when a request names none.</summary>
public sealed record ModelList(string DefaultModel, IReadOnlyList<Model> Items);

/// <summary>A model and the inputs it takes.</summary>
public sealed record Model(
    string Id,
    string DisplayName,
    string Provider,
    string Description,
    bool RequiresImage,
    bool AcceptsImage,
    bool AcceptsNegativePrompt,
    bool AcceptsSeed,
    int MaxPromptLength,
    IReadOnlyList<ModelParameter> Parameters)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>One option of a model: its kind (e.g. <c>integer</c>, <c>number</c>, <c>enum</c>, <c>string</c>, <c>boolean</c>), range, allowed values and default.</summary>
public sealed record ModelParameter(string Name, string Kind, string? Default, IReadOnlyList<string>? AllowedValues, double? Min, double? Max, string? Description);

/// <summary>The caller as <c>GET /api/account/me</c> describes them; fields a newer server adds (spend, limits) are in <see cref="Extra"/>.</summary>
public sealed record Me(string Mode, AccountUser? User, string SignUp)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>A signed-in caller; <see cref="Email"/> is null for a single-user server's local owner.</summary>
public sealed record AccountUser(string Id, string? Email, bool IsAdmin);

/// <summary>An uploaded image: pass <see cref="Url"/> as <see cref="CreateVideoRequest.ImageUrl"/>.</summary>
public sealed record Upload(string Url);

/// <summary>One event of a video's stream: its type (<c>video</c>), the SSE id to resume after, and the video as it now is.</summary>
public sealed record VideoEvent(string Type, string? Id, Video Video);
