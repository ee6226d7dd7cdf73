using Microsoft.AspNetCore.Http.HttpResults;

namespace VideoGen.Server.Apis;

/// <summary>
/// The paging query every list route shares: <c>limit</c>, the page size (1 to <see cref="MaxPageSize"/>, default
/// <see cref="DefaultPageSize"/>), and <c>cursor</c>, the opaque <c>nextCursor</c> of the previous page. One
/// wording for their errors, whichever route or backend found the value wrong.
/// </summary>
internal static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>No cursor this API hands out is longer; a longer one is refused before anything decodes it.</summary>
    public const int MaxCursorLength = 200;

    public static readonly string LimitMessage = $"limit must be an integer from 1 to {MaxPageSize}.";
    public const string CursorMessage = "cursor is not one this API handed out; use the nextCursor of a previous page.";

    /// <summary>The page size <paramref name="limit"/> asks for (the default when absent); when it is not one, records the error under <c>limit</c>.</summary>
    public static int ReadLimit(string? limit, IDictionary<string, string[]> errors)
    {
        if (limit is null)
        {
            return DefaultPageSize;
        }

        if (int.TryParse(limit, out var size) && size is >= 1 and <= MaxPageSize)
        {
            return size;
        }

        errors["limit"] = [LimitMessage];
        return DefaultPageSize;
    }

    /// <summary>Records that the cursor given is not one this API handed out.</summary>
    public static void RejectCursor(IDictionary<string, string[]> errors) => errors["cursor"] = [CursorMessage];

    /// <summary>The answer to a cursor found wrong only once it was used (a backend could not read it).</summary>
    public static ValidationProblem CursorProblem() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["cursor"] = [CursorMessage] });

    /// <summary>Whether a cursor is short enough, and not empty, to be worth decoding.</summary>
    public static bool HasCursorLength(string cursor) => cursor.Length is > 0 and <= MaxCursorLength;
}
