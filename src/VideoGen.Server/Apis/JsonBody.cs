using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace VideoGen.Server.Apis;

/// <summary>
/// Reads a JSON request body with the checks a public API needs, each answered with a problem
/// naming the cause: content type (415), size (413), syntax, non-object bodies, unknown fields
/// and wrong value types (400 naming the field). Read by hand rather than by model binding so
/// every one of these is a precise 4xx instead of a bare 400 or a 500.
/// </summary>
public static class JsonBody
{
    /// <summary>
    /// Web defaults, but numbers must be JSON numbers (not strings) and a field may appear once: a body two parsers
    /// could read differently (which of two "prompt"s wins?) is refused, not guessed at.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        AllowDuplicateProperties = false,
    };

    /// <summary>The parsed body, or the problem to answer with.</summary>
    public readonly record struct Result<T>(T? Value, IResult? Problem)
    {
        /// <summary>
        /// The problem as the route's own result union (<typeparamref name="TResult"/> converts from either kind):
        /// <c>return body.ProblemAs&lt;TResult&gt;(v =&gt; v, p =&gt; p);</c>.
        /// </summary>
        public TResult ProblemAs<TResult>(Func<ValidationProblem, TResult> validation, Func<ProblemHttpResult, TResult> other) =>
            Problem switch
            {
                ValidationProblem v => validation(v),
                ProblemHttpResult p => other(p),
                _ => throw new InvalidOperationException("Unexpected problem result."),
            };
    }

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, int maxBytes, IReadOnlySet<string> fields, CancellationToken ct)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return Fail<T>(TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the body as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}')."));
        }
        var body = await CappedBody.ReadAsync(request, maxBytes, ct);
        if (body is null)
        {
            return TooLarge<T>(maxBytes);
        }
        if (body.Length == 0)
        {
            return Invalid<T>("body", "The request body is empty; send a JSON object.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return Invalid<T>("body", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid<T>("body", $"The body must be a JSON object, not {Describe(document.RootElement.ValueKind)}.");
            }
            var unknown = document.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !fields.Contains(n)).ToList();
            if (unknown.Count > 0)
            {
                return Fail<T>(TypedResults.ValidationProblem(
                    unknown.Take(20).ToDictionary(n => Truncate(n), n => new[] { $"Unknown field; known fields: {string.Join(", ", fields)}." }),
                    title: "Unknown fields in the request body"));
            }
            try
            {
                return new Result<T>(document.RootElement.Deserialize<T>(Options), null);
            }
            catch (JsonException e)
            {
                var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
                return Invalid<T>(field, $"The value of '{field}' has the wrong type or is out of range.");
            }
        }
    }

    private static Result<T> Fail<T>(IResult problem) where T : class => new(null, problem);

    private static Result<T> Invalid<T>(string field, string message) where T : class =>
        Fail<T>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }));

    private static Result<T> TooLarge<T>(int maxBytes) where T : class => Fail<T>(TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Request body too large",
        detail: $"The body must be at most {maxBytes} bytes."));

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };

    private static string Truncate(string s) => s.Length <= 100 ? s : s[..100] + "…";
}
