using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Videos;
using VideoGen.Server.Accounts;
using VideoGen.Server.Apis;
using VideoGen.Server.Options;

namespace VideoGen.Server.Limits;

/// <summary>
/// The admin side of tiers and limits (admin role only): the accounts with their tier, overrides, effective limits and
/// spend (<c>GET /api/admin/users</c>, <c>GET /api/admin/users/{id}</c>), setting a user's tier and overrides
/// (<c>PUT /api/admin/users/{id}/limits</c>), and raising one waiting video's priority
/// (<c>POST /api/admin/videos/{id}/priority</c>). Users see their own tier, limits and spend in <c>GET /api/account/me</c>.
/// The list holds at most 1000 accounts (by email); beyond that, read one by id.
/// </summary>
public static class LimitsApi
{
    public static IEndpointRouteBuilder MapLimitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(Roles.AdminPolicy);
        api.MapGet("/users", ListUsers);
        api.MapGet("/users/{id}", GetUser);
        api.MapPut("/users/{id}/limits", SetUserLimits);
        api.MapPost("/videos/{id}/priority", SetVideoPriority);
        return app;
    }

    public static async Task<Ok<AdminUserListDto>> ListUsers(
        UserManager<AppUser> users, UserLimits limits, SpendLedger ledger, Tiers tiers, IOptions<TiersOptions> tierOptions,
        TimeProvider time, CancellationToken ct)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.Email).Take(1000).ToListAsync(ct);
        var admins = (await users.GetUsersInRoleAsync(Roles.Admin)).Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        var items = new List<AdminUserDto>(all.Count);
        foreach (var user in all)
        {
            items.Add(await DescribeAsync(user, admins.Contains(user.Id), limits, ledger, time, ct));
        }
        var configured = tierOptions.Value
            .Select(t => new TierDto(t.Key.ToLowerInvariant(), t.Value.Priority, t.Value.MaxActiveVideos, t.Value.SubmissionsPerMinute, t.Value.DailyBudgetUsd))
            .OrderByDescending(t => t.Priority).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new AdminUserListDto(items, configured, tiers.DefaultName));
    }

    public static async Task<Results<Ok<AdminUserDto>, ProblemHttpResult>> GetUser(
        string id, UserManager<AppUser> users, UserLimits limits, SpendLedger ledger, TimeProvider time, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return UserNotFound(id);
        }
        return TypedResults.Ok(await DescribeAsync(user, await users.IsInRoleAsync(user, Roles.Admin), limits, ledger, time, ct));
    }

    public static async Task<Results<Ok<AdminUserDto>, ValidationProblem, ProblemHttpResult>> SetUserLimits(
        string id, HttpRequest request, UserManager<AppUser> users, UserLimits limits, SpendLedger ledger, Tiers tiers,
        IOptions<VideoGenOptions> options, TimeProvider time, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return UserNotFound(id);
        }
        var body = await JsonBody.ReadAsync<SetUserLimitsBody>(request, options.Value.MaxJsonBodyBytes, SetUserLimitsBody.Fields, ct);
        if (body.Problem is not null)
        {
            return body.ProblemAs<Results<Ok<AdminUserDto>, ValidationProblem, ProblemHttpResult>>(v => v, p => p);
        }
        var input = body.Value!;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var tier = string.IsNullOrWhiteSpace(input.Tier) ? null : input.Tier.Trim().ToLowerInvariant();
        if (tier is not null && !tiers.Exists(tier))
        {
            errors["tier"] = [$"tier must be one of: {string.Join(", ", tiers.Names)} (or null for the default tier)."];
        }
        if (input.MaxActiveVideos is < 0 or > 1_000_000)
        {
            errors["maxActiveVideos"] = ["maxActiveVideos must be from 0 (unlimited) to 1000000, or null to inherit."];
        }
        if (input.SubmissionsPerMinute is < 0 or > 100_000)
        {
            errors["submissionsPerMinute"] = ["submissionsPerMinute must be from 0 (unlimited) to 100000, or null to inherit."];
        }
        if (input.DailyBudgetUsd is < 0m or > 1_000_000m)
        {
            errors["dailyBudgetUsd"] = ["dailyBudgetUsd must be from 0 (unlimited) to 1000000, or null to inherit."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        user.Tier = tier;
        user.MaxActiveVideos = input.MaxActiveVideos;
        user.SubmissionsPerMinute = input.SubmissionsPerMinute;
        user.DailyBudgetUsd = input.DailyBudgetUsd;
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "User changed meanwhile",
                detail: "The account changed while it was being updated; read it again and retry.");
        }
        return TypedResults.Ok(await DescribeAsync(user, await users.IsInRoleAsync(user, Roles.Admin), limits, ledger, time, ct));
    }

    /// <summary>200 + the video with its new priority; 409 when it is no longer waiting to start (its job is running or done).</summary>
    public static async Task<Results<Ok<VideoDto>, ValidationProblem, ProblemHttpResult>> SetVideoPriority(
        string id, HttpRequest request, VideoPriority priorities, MediaUrls urls, IOptions<VideoGenOptions> options, CancellationToken ct)
    {
        if (!VideoIds.IsWellFormed(id))
        {
            return VideosApi.NotFound(id);
        }
        var body = await JsonBody.ReadAsync<SetPriorityBody>(request, options.Value.MaxJsonBodyBytes, SetPriorityBody.Fields, ct);
        if (body.Problem is not null)
        {
            return body.ProblemAs<Results<Ok<VideoDto>, ValidationProblem, ProblemHttpResult>>(v => v, p => p);
        }
        if (body.Value!.Priority is not (>= -1000 and <= 1000))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["priority"] = ["priority must be a whole number from -1000 to 1000."] });
        }
        var (outcome, video) = await priorities.SetAsync(id, body.Value.Priority!.Value, ct);
        return outcome switch
        {
            PriorityChange.NotFound => VideosApi.NotFound(id),
            PriorityChange.NotWaiting => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Video not waiting",
                detail: $"Video {id} is {video!.Status.ToWire()} and has started or finished; only a video waiting to start can have its priority changed."),
            _ => TypedResults.Ok(VideoDto.From(video!, urls)),
        };
    }

    internal static async Task<AdminUserDto> DescribeAsync(AppUser user, bool isAdmin, UserLimits limits, SpendLedger ledger, TimeProvider time, CancellationToken ct)
    {
        var effective = limits.For(user, exempt: isAdmin);
        var active = await limits.ActiveVideosAsync(user.Id, ct);
        var spend = await ledger.ForAsync(user.Id, time.GetUtcNow(), ct);
        return new AdminUserDto(
            user.Id,
            user.Email ?? user.UserName ?? "",
            isAdmin,
            user.CreatedAt,
            user.DisabledAt,
            user.Tier,
            new LimitOverridesDto(user.MaxActiveVideos, user.SubmissionsPerMinute, user.DailyBudgetUsd),
            LimitsDto.From(effective, active),
            SpendDto.From(spend, effective));
    }

    private static ProblemHttpResult UserNotFound(string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "User not found",
        detail: $"There is no user with id '{(id.Length > 64 ? id[..64] + "…" : id)}'.");
}
