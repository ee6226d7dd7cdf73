using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VideoGen.Core.Models;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// Builds a model's JSON input from our request: prompt, then seed / negative prompt / image URL where the model takes
/// them, then the model's declared parameters converted to the JSON types fal expects (enums stay strings, e.g. Kling's
/// <c>"5"</c>). Parameters the model does not declare are dropped; the server has already refused them with a 400.
/// </summary>
internal static class FalInputMapper
{
    public static JsonObject Map(ModelInfo model, ProviderRequest request)
    {
        var input = new JsonObject { ["prompt"] = request.Prompt };

        if (model.AcceptsImage && !string.IsNullOrWhiteSpace(request.ImageUrl))
        {
            input["image_url"] = request.ImageUrl;
        }
        else if (model.RequiresImage)
        {
            throw Invalid("image_url", $"{model.DisplayName} needs an image.");
        }

        if (model.AcceptsSeed && request.Seed is { } seed)
        {
            input["seed"] = seed;
        }

        if (model.AcceptsNegativePrompt && !string.IsNullOrWhiteSpace(request.NegativePrompt))
        {
            input["negative_prompt"] = request.NegativePrompt;
        }

        if (string.IsNullOrWhiteSpace(request.ParametersJson))
        {
            return input;
        }

        JsonObject parameters;
        try
        {
            parameters = JsonNode.Parse(request.ParametersJson) as JsonObject ?? throw Invalid("parameters", "must be a JSON object.");
        }
        catch (JsonException)
        {
            throw Invalid("parameters", "must be a JSON object.");
        }

        foreach (var spec in model.Parameters)
        {
            if (parameters[spec.Name] is { } value && value.GetValueKind() != JsonValueKind.Null)
            {
                input[spec.Name] = Convert(spec, value);
            }
        }

        return input;
    }

    /// <summary>Parameter values as strings, for <see cref="ModelInfo.EstimateCostUsd"/>.</summary>
    public static IReadOnlyDictionary<string, string> AsStrings(string? parametersJson)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(parametersJson))
        {
            return result;
        }

        try
        {
            if (JsonNode.Parse(parametersJson) is JsonObject o)
            {
                foreach (var (name, value) in o)
                {
                    if (value is not null && value.GetValueKind() != JsonValueKind.Null)
                    {
                        result[name] = Text(value);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Unparseable parameters estimate as defaults; Map refuses them.
        }

        return result;
    }

    private static JsonNode Convert(ModelParameter spec, JsonNode value)
    {
        var text = Text(value);
        switch (spec.Kind)
        {
            case ParameterKind.Enum:
                if (spec.AllowedValues is { Count: > 0 } allowed && !allowed.Contains(text, StringComparer.Ordinal))
                {
                    throw Invalid(spec.Name, $"must be one of {string.Join(", ", allowed)}.");
                }

                return JsonValue.Create(text);
            case ParameterKind.String:
                return JsonValue.Create(text);
            case ParameterKind.Integer:
                if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
                {
                    throw Invalid(spec.Name, "must be an integer.");
                }

                CheckRange(spec, i);
                return JsonValue.Create(i);
            case ParameterKind.Number:
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                {
                    throw Invalid(spec.Name, "must be a number.");
                }

                CheckRange(spec, d);
                return JsonValue.Create(d);
            case ParameterKind.Boolean:
                if (!bool.TryParse(text, out var b))
                {
                    throw Invalid(spec.Name, "must be true or false.");
                }

                return JsonValue.Create(b);
            default:
                throw Invalid(spec.Name, "has an unknown kind.");
        }
    }

    private static void CheckRange(ModelParameter spec, double value)
    {
        if ((spec.Min is { } min && value < min) || (spec.Max is { } max && value > max))
        {
            throw Invalid(spec.Name, $"must be between {spec.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {spec.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}.");
        }
    }

    private static string Text(JsonNode value) =>
        value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.ToJsonString(),
        };

    private static ProviderException Invalid(string field, string message) =>
        new(ProviderErrorKind.Permanent, $"{field}: {message}", FalErrorTypes.Validation);
}
