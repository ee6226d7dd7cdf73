using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;

namespace VideoGen.Server.Apis;

/// <summary>
/// The caller's API keys under <c>/api/account/keys</c>: list (never the key itself), create (the key is in this
/// answer only), revoke. Someone else's key id is 404. Single-user mode has no account to own keys (409).
/// </summary>
public static class ApiKeysApi
{
    public const int MaxKeysPerUser = 100;

    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/account/keys").WithTags("API keys").ProducesProblems(StatusCodes.Status401Unauthorized);
        api.MapGet("/", ListKeys)
            .Describe("ListApiKeys", "List the caller's API keys");
        api.MapPost("/", CreateKey)
            .Describe("CreateApiKey", "Create an API key", "The key itself is in this answer only; store it.")
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict);
        api.MapDelete("/{id}", RevokeKey)
            .Describe("RevokeApiKey", "Revoke one of the caller's API keys")
            .ProducesProblems(StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<List<ApiKeyDto>>> ListKeys(CurrentOwner owner, AppDbContext db, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == owner.Id).ToListAsync(ct);
        return TypedResults.Ok(keys.OrderByDescending(k => k.CreatedAt).Select(ApiKeyDto.From).ToList());
    }

    public static async Task<Results<Created<CreatedApiKeyDto>, ValidationProblem, ProblemHttpResult>> CreateKey(
        CreateApiKeyBody body, CurrentOwner owner, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (owner.IsLocalOwner)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "API keys need an account",
                detail: "Single-user mode needs no key (loopback requests act as the owner). Create an account with videogen users add to use keys.");
        }
        var name = body.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["name must be 1 to 100 characters."] });
        }
        if (await db.ApiKeys.CountAsync(k => k.UserId == owner.Id && k.RevokedAt == null, ct) >= MaxKeysPerUser)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"At most {MaxKeysPerUser} active keys; revoke one first."] });
        }
        var secret = SecretTokens.NewApiKey();
        var key = new ApiKey
        {
            Id = Guid.NewGuid().ToString("N"),
            UserId = owner.Id,
            Name = name,
            Prefix = secret[..SecretTokens.DisplayPrefixLength],
            Hash = SecretTokens.Hash(secret),
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/account/keys/{key.Id}", new CreatedApiKeyDto(key.Id, key.Name, key.Prefix, secret, key.CreatedAt));
    }

    /// <summary>Revokes the caller's key (204, also when already revoked); a key that is not the caller's is 404.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string id, CurrentOwner owner, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var key = id.Length > 64 ? null : await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.UserId == owner.Id, ct);
        if (key is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "API key not found", detail: "You have no API key with this id.");
        }
        key.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}

public sealed record CreateApiKeyBody(string? Name);

/// <summary>A key as listed: never the key itself, only its first characters.</summary>
public sealed record ApiKeyDto(string Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyDto From(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}

/// <summary>The answer to creating a key: <see cref="Key"/> is shown this once and stored nowhere in clear.</summary>
public sealed record CreatedApiKeyDto(string Id, string Name, string Prefix, string Key, DateTimeOffset CreatedAt);
