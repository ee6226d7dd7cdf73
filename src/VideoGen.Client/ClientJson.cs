using System.Text.Json;
using System.Text.Json.Serialization;

namespace VideoGen.Client;

/// <summary>The API's JSON conventions: camelCase names, numbers as JSON numbers, fields not given left out of requests.</summary>
internal static class ClientJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
