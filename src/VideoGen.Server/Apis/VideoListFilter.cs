using System.Linq.Expressions;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;

namespace VideoGen.Server.Apis;

/// <summary>
/// The filters of <c>GET /api/videos</c>: <c>status</c>, one wire status or a comma list of them, and <c>q</c>, a
/// case-insensitive substring of the prompt. Both narrow the list before the cursor pages it, so paging a filtered
/// list is as stable as paging the whole one.
/// </summary>
public sealed record VideoListFilter(IReadOnlyList<VideoStatus> Statuses, string? PromptText)
{
    /// <summary>A longer search is refused: no prompt is longer than the longest model's limit, and a bound keeps the scan cheap.</summary>
    public const int MaxSearchLength = 200;

    public static readonly string SearchMessage = $"q must be at most {MaxSearchLength} characters.";

    /// <summary>The filters in <paramref name="status"/> and <paramref name="q"/>; what is wrong is recorded under its name.</summary>
    public static VideoListFilter Read(string? status, string? q, IDictionary<string, string[]> errors)
    {
        var statuses = new List<VideoStatus>();
        if (!string.IsNullOrWhiteSpace(status))
        {
            var unknown = new List<string>();
            foreach (var name in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (VideoStatusWire.TryParse(name, out var parsed))
                {
                    if (!statuses.Contains(parsed))
                    {
                        statuses.Add(parsed);
                    }
                }
                else
                {
                    unknown.Add(name.Length > 40 ? name[..40] + "…" : name);
                }
            }
            if (unknown.Count > 0 || statuses.Count == 0)
            {
                errors["status"] = [$"status must be one or more of {string.Join(", ", VideoStatusWire.Names)}, separated by commas."];
            }
        }

        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (text is { Length: > MaxSearchLength })
        {
            errors["q"] = [SearchMessage];
            text = null;
        }
        return new VideoListFilter(statuses, text);
    }

    /// <summary>The videos in <paramref name="query"/> that pass the filters (translated to SQL on SQLite and PostgreSQL alike).</summary>
    public IQueryable<Video> Apply(IQueryable<Video> query)
    {
        if (Statuses.Count > 0)
        {
            query = query.Where(StatusIsOneOf(Statuses));
        }
        if (PromptText is { } text)
        {
            // lower() on both sides: SQLite's LIKE and instr differ in case rules from PostgreSQL's; this reads the same on both
            // (SQLite's lower() folds ASCII letters only). Contains() is translated without LIKE wildcards, so % and _ match themselves.
            var needle = text.ToLowerInvariant();
            query = query.Where(v => v.Prompt.ToLower().Contains(needle));
        }
        return query;
    }

    /// <summary>
    /// <c>v.Status == a || v.Status == b …</c>: equality on a converted column translates the same way everywhere,
    /// where a parameter list of converted values may not.
    /// </summary>
    private static Expression<Func<Video, bool>> StatusIsOneOf(IReadOnlyList<VideoStatus> statuses)
    {
        var video = Expression.Parameter(typeof(Video), "v");
        var status = Expression.Property(video, nameof(Video.Status));
        Expression? any = null;
        foreach (var s in statuses)
        {
            var equal = Expression.Equal(status, Expression.Constant(s));
            any = any is null ? equal : Expression.OrElse(any, equal);
        }
        return Expression.Lambda<Func<Video, bool>>(any ?? Expression.Constant(true), video);
    }
}
