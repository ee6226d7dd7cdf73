using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VideoGen.Core.Models;

/// <summary>
/// Checks a create request against the model catalog before anything is stored: prompt present
/// and within the model's limit, model known, seed in 0..2^32-1 (the range every provider we
/// know accepts), image given exactly when the model takes one, every parameter declared by the
/// model and within its allowed values or range. Returns all errors at once, keyed by field.
/// An image is an absolute http(s) URL or exactly one of our upload URLs (<see cref="UploadedImageUrl"/>);
/// this check is pure, so whether that upload still exists is for the caller to check against the media store.
/// </summary>
public sealed class VideoRequestValidator(ModelCatalog catalog)
{
    public const long MaxSeed = uint.MaxValue;
    public const int MaxImageUrlLength = 2048;

    public VideoRequestValidation Validate(VideoCreateRequest request)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        var modelId = string.IsNullOrWhiteSpace(request.Model) ? ModelCatalog.DefaultModelId : request.Model.Trim();
        var model = catalog.Find(modelId);
        if (model is null)
        {
            Add("model", $"Unknown model '{Truncate(modelId, 200)}'. See GET /api/models for the available models.");
        }

        var prompt = request.Prompt?.Trim() ?? "";
        var maxPrompt = model?.MaxPromptLength ?? 2000;
        if (prompt.Length == 0)
        {
            Add("prompt", "The prompt is required and must not be only whitespace.");
        }
        else if (prompt.Length > maxPrompt)
        {
            Add("prompt", $"The prompt must be at most {maxPrompt} characters (got {prompt.Length}).");
        }
        if (prompt.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            Add("prompt", "The prompt must not contain control characters.");
        }

        if (request.Seed is { } seed)
        {
            if (seed is < 0 or > MaxSeed)
            {
                Add("seed", $"The seed must be between 0 and {MaxSeed} (got {seed}).");
            }
            else if (model is { AcceptsSeed: false })
            {
                Add("seed", $"Model '{model.Id}' does not accept a seed.");
            }
        }

        var negative = string.IsNullOrWhiteSpace(request.NegativePrompt) ? null : request.NegativePrompt.Trim();
        if (negative is not null && model is not null)
        {
            if (!model.AcceptsNegativePrompt)
            {
                Add("negativePrompt", $"Model '{model.Id}' does not accept a negative prompt.");
            }
            else if (negative.Length > model.MaxPromptLength)
            {
                Add("negativePrompt", $"The negative prompt must be at most {model.MaxPromptLength} characters.");
            }
            else if (negative.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            {
                Add("negativePrompt", "The negative prompt must not contain control characters.");
            }
        }

        var imageUrl = string.IsNullOrWhiteSpace(request.ImageUrl) ? null : request.ImageUrl.Trim();
        if (model is not null)
        {
            if (imageUrl is null && model.RequiresImage)
            {
                Add("imageUrl", $"Model '{model.Id}' needs an image (image-to-video).");
            }
            else if (imageUrl is not null && !model.AcceptsImage && !model.RequiresImage)
            {
                Add("imageUrl", $"Model '{model.Id}' does not take an image.");
            }
            else if (imageUrl is not null && !IsHttpUrl(imageUrl) && !UploadedImageUrl.TryParse(imageUrl, out _))
            {
                Add("imageUrl", "The image URL must be an absolute http(s) URL of at most 2048 characters, or the /media/uploads/… URL that POST /api/uploads returned.");
            }
        }

        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        var typed = new List<(ModelParameter Parameter, string Value)>();
        if (model is not null)
        {
            CheckParameters(model, request.Parameters, normalized, typed, Add);
        }

        if (errors.Count > 0 || model is null)
        {
            return new VideoRequestValidation(null, errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
        }
        var validated = new ValidatedVideoRequest(
            prompt,
            model,
            request.Seed,
            negative,
            imageUrl,
            normalized,
            ToJson(typed),
            model.EstimateCostUsd(normalized));
        return new VideoRequestValidation(validated, []);
    }

    /// <summary>
    /// The price estimate for <paramref name="modelId"/> (the default model when null) with <paramref name="parameters"/>
    /// (defaults filled in), checked as <see cref="Validate"/> checks them; the prompt and image do not change a price,
    /// so they are not needed. Errors are keyed as in <see cref="Validate"/> ("model", "parameters.duration", …).
    /// </summary>
    public CostEstimate Estimate(string? modelId, IReadOnlyDictionary<string, JsonElement>? parameters)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        var id = string.IsNullOrWhiteSpace(modelId) ? ModelCatalog.DefaultModelId : modelId.Trim();
        var model = catalog.Find(id);
        if (model is null)
        {
            Add("model", $"Unknown model '{Truncate(id, 200)}'. See GET /api/models for the available models.");
            return new CostEstimate(null, null, errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
        }
        var normalized = new Dictionary<string, string>(StringComparer.Ordinal);
        CheckParameters(model, parameters, normalized, [], Add);
        return errors.Count > 0
            ? new CostEstimate(model, null, errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal))
            : new CostEstimate(model, model.EstimateCostUsd(normalized), []);
    }

    /// <summary>Checks the given parameters against the model's; fills <paramref name="normalized"/> and <paramref name="typed"/> with the valid values and defaults.</summary>
    private static void CheckParameters(
        ModelInfo model,
        IReadOnlyDictionary<string, JsonElement>? parameters,
        Dictionary<string, string> normalized,
        List<(ModelParameter Parameter, string Value)> typed,
        Action<string, string> add)
    {
        var given = parameters ?? new Dictionary<string, JsonElement>();
        foreach (var name in given.Keys)
        {
            if (!model.Parameters.Any(p => p.Name == name))
            {
                var known = model.Parameters.Count == 0 ? "none" : string.Join(", ", model.Parameters.Select(p => p.Name));
                add($"parameters.{Truncate(name, 100)}", $"Unknown parameter for model '{model.Id}' (known: {known}).");
            }
        }
        foreach (var p in model.Parameters)
        {
            string? value;
            if (given.TryGetValue(p.Name, out var element) && element.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                var error = Check(p, element, out value);
                if (error is not null)
                {
                    add($"parameters.{p.Name}", error);
                    continue;
                }
            }
            else
            {
                value = p.Default;
            }
            if (value is not null)
            {
                normalized[p.Name] = value;
                typed.Add((p, value));
            }
        }
    }

    /// <summary>Null when <paramref name="element"/> is a valid value for <paramref name="p"/>; the message otherwise.</summary>
    private static string? Check(ModelParameter p, JsonElement element, out string? value)
    {
        value = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (value is null)
        {
            return $"Expected a {Describe(p)}, got a JSON {element.ValueKind.ToString().ToLowerInvariant()}.";
        }
        switch (p.Kind)
        {
            case ParameterKind.Enum:
                var allowed = p.AllowedValues ?? [];
                if (!allowed.Contains(value, StringComparer.Ordinal))
                {
                    return $"'{Truncate(value, 50)}' is not allowed; use one of: {string.Join(", ", allowed)}.";
                }
                return null;
            case ParameterKind.Integer:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
                {
                    return $"Expected an integer, got '{Truncate(value, 50)}'.";
                }
                value = i.ToString(CultureInfo.InvariantCulture);
                return RangeError(p, i);
            case ParameterKind.Number:
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                {
                    return $"Expected a number, got '{Truncate(value, 50)}'.";
                }
                value = d.ToString("R", CultureInfo.InvariantCulture);
                return RangeError(p, d);
            case ParameterKind.Boolean:
                if (!bool.TryParse(value, out var b))
                {
                    return $"Expected true or false, got '{Truncate(value, 50)}'.";
                }
                value = b ? "true" : "false";
                return null;
            default:
                if (value.Length > 2000)
                {
                    return "The value must be at most 2000 characters.";
                }
                if (p.AllowedValues is { Count: > 0 } list && !list.Contains(value, StringComparer.Ordinal))
                {
                    return $"'{Truncate(value, 50)}' is not allowed; use one of: {string.Join(", ", list)}.";
                }
                return null;
        }
    }

    private static string? RangeError(ModelParameter p, double v) =>
        (p.Min is { } min && v < min) || (p.Max is { } max && v > max)
            ? $"Must be between {Fmt(p.Min)} and {Fmt(p.Max)} (got {v.ToString(CultureInfo.InvariantCulture)})."
            : null;

    private static string Fmt(double? v) => v is { } x ? x.ToString(CultureInfo.InvariantCulture) : "any";

    private static string Describe(ModelParameter p) => p.Kind switch
    {
        ParameterKind.Integer => "integer",
        ParameterKind.Number => "number",
        ParameterKind.Boolean => "boolean",
        ParameterKind.Enum => "one of " + string.Join(", ", p.AllowedValues ?? []),
        _ => "string",
    };

    private static string ToJson(List<(ModelParameter Parameter, string Value)> values)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (p, v) in values)
            {
                switch (p.Kind)
                {
                    case ParameterKind.Integer:
                        w.WriteNumber(p.Name, long.Parse(v, CultureInfo.InvariantCulture));
                        break;
                    case ParameterKind.Number:
                        w.WriteNumber(p.Name, double.Parse(v, CultureInfo.InvariantCulture));
                        break;
                    case ParameterKind.Boolean:
                        w.WriteBoolean(p.Name, v == "true");
                        break;
                    default:
                        w.WriteString(p.Name, v);
                        break;
                }
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool IsHttpUrl(string s) =>
        s.Length <= MaxImageUrlLength && Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) && !string.IsNullOrEmpty(u.Host);

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
