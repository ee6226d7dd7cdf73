using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace VideoGen.Server.Tests.Api.OpenApi;

/// <summary>
/// The served OpenAPI document, read as JSON: its operations, the schema of each documented answer, and validation of
/// a real answer against that schema (JSON Schema 2020-12, which OpenAPI 3.1 schemas are). Validation is strict about
/// shape: an object schema with properties accepts no property it does not name, so a field the route returns but
/// the document leaves out fails as surely as a documented field the route does not return.
/// </summary>
public sealed class OpenApiSchemas(JsonElement document)
{
    public JsonElement Document { get; } = document;

    /// <summary>Every documented operation as "METHOD /path".</summary>
    public IReadOnlySet<string> Operations { get; } = document.GetProperty("paths").EnumerateObject()
        .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
        .ToHashSet(StringComparer.Ordinal);

    public JsonElement Operation(string method, string path) =>
        Document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());

    /// <summary>The documented statuses of an operation.</summary>
    public IReadOnlySet<int> Statuses(string method, string path) =>
        Operation(method, path).GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();

    /// <summary>The schema documented for <paramref name="status"/> in <paramref name="contentType"/>, or null when that answer has no body.</summary>
    public JsonElement? ResponseSchema(string method, string path, int status, string contentType)
    {
        var responses = Operation(method, path).GetProperty("responses");
        Assert.True(responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response),
            $"{method} {path} answered {status}, which the document does not list (it lists {string.Join(", ", Statuses(method, path).Order())}).");
        if (!response.TryGetProperty("content", out var content))
        {
            return null;
        }
        Assert.True(content.TryGetProperty(contentType, out var media),
            $"{method} {path} {status} answered as {contentType}; the document says {string.Join(", ", content.EnumerateObject().Select(c => c.Name))}.");
        return media.GetProperty("schema");
    }

    /// <summary>Why <paramref name="instance"/> does not fit <paramref name="schema"/> (empty when it does).</summary>
    public IReadOnlyList<string> Validate(JsonElement instance, JsonElement schema)
    {
        var defs = JsonNode.Parse(Document.GetProperty("components").GetProperty("schemas").GetRawText())!.AsObject();
        foreach (var (_, def) in defs)
        {
            Close(def);
        }
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = defs,
            ["allOf"] = new JsonArray(JsonNode.Parse(schema.GetRawText())),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var built = JsonSchema.FromText(text, baseUri: new Uri($"https://videogen.test/openapi/{Guid.NewGuid():N}"));
        var result = built.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }
        return (result.Details ?? [result])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
            .ToList();
    }

    /// <summary>An object schema that names its properties accepts no others (unless it says what others may be).</summary>
    private static void Close(JsonNode? node)
    {
        if (node is not JsonObject schema)
        {
            return;
        }
        if (schema.ContainsKey("properties") && !schema.ContainsKey("additionalProperties"))
        {
            schema["additionalProperties"] = false;
        }
        foreach (var (_, child) in schema.ToList())
        {
            if (child is JsonObject)
            {
                Close(child);
            }
            else if (child is JsonArray array)
            {
                foreach (var item in array)
                {
                    Close(item);
                }
            }
        }
    }
}
