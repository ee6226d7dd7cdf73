using Microsoft.AspNetCore.Http.HttpResults;
using VideoGen.Core.Providers.Slots;
using VideoGen.Server.Providers;

namespace VideoGen.Server.Apis;

/// <summary>
/// A provider's slots and submit rate across all machines (issue 13), under <c>/api/admin/providers/{provider}/limits</c>:
/// read the limits in force and the slots in use, override them at run time (every machine follows within
/// <see cref="ProviderLimitsCatalog.RefreshInterval"/>), or drop the override to fall back to configuration. Admin only.
/// </summary>
public static class ProviderLimitsApi
{
    /// <summary>Bound of every limit, as for the configuration keys.</summary>
    public const int MaxLimit = 1_000_000;

    /// <summary>Per-model limits one provider may carry.</summary>
    public const int MaxModels = 200;

    public static RouteGroupBuilder MapProviderLimitsApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/providers/{provider}/limits", GetLimits);
        admin.MapPut("/providers/{provider}/limits", PutLimits);
        admin.MapDelete("/providers/{provider}/limits", ResetLimits);
        return admin;
    }

    public static async Task<Results<Ok<ProviderLimitsDto>, ProblemHttpResult>> GetLimits(
        string provider, ProviderLimitsCatalog catalog, DbProviderSlots slots, CancellationToken ct) =>
        catalog.IsKnown(provider)
            ? TypedResults.Ok(ProviderLimitsDto.From(provider, await catalog.GetAsync(provider, ct), await slots.UsageAsync(provider, ct)))
            : ProviderNotFound(provider);

    public static async Task<Results<Ok<ProviderLimitsDto>, ValidationProblem, ProblemHttpResult>> PutLimits(
        string provider, ProviderLimitsBody body, ProviderLimitsCatalog catalog, DbProviderSlots slots, CancellationToken ct)
    {
        if (!catalog.IsKnown(provider))
        {
            return ProviderNotFound(provider);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckLimit("maxConcurrent", body.MaxConcurrent, errors);
        CheckLimit("maxSubmitsPerMinute", body.MaxSubmitsPerMinute, errors);
        var models = body.Models ?? [];
        if (models.Count > MaxModels)
        {
            errors["models"] = [$"At most {MaxModels} per-model limits."];
        }

        foreach (var (model, limit) in models)
        {
            if (model.Length is 0 or > 200)
            {
                errors["models"] = ["A model id must be 1 to 200 characters."];
            }

            CheckLimit($"models.{(model.Length > 200 ? model[..200] : model)}.maxConcurrent", limit.MaxConcurrent, errors, required: true);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var limits = new ProviderLimits(
            body.MaxConcurrent,
            body.MaxSubmitsPerMinute,
            models.ToDictionary(m => m.Key, m => m.Value.MaxConcurrent!.Value, StringComparer.Ordinal));
        var effective = await catalog.SetAsync(provider, limits, ct);
        return TypedResults.Ok(ProviderLimitsDto.From(provider, effective, await slots.UsageAsync(provider, ct)));
    }

    public static async Task<Results<Ok<ProviderLimitsDto>, ProblemHttpResult>> ResetLimits(
        string provider, ProviderLimitsCatalog catalog, DbProviderSlots slots, CancellationToken ct) =>
        catalog.IsKnown(provider)
            ? TypedResults.Ok(ProviderLimitsDto.From(provider, await catalog.ResetAsync(provider, ct), await slots.UsageAsync(provider, ct)))
            : ProviderNotFound(provider);

    private static void CheckLimit(string field, int? value, Dictionary<string, string[]> errors, bool required = false)
    {
        if (value is null ? required : value is < 1 or > MaxLimit)
        {
            errors[field] = [$"{field} must be {(required ? "" : "null (no limit) or ")}a whole number from 1 to {MaxLimit}."];
        }
    }

    private static ProblemHttpResult ProviderNotFound(string provider) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Provider not found",
        detail: $"No provider named '{(provider.Length > 50 ? provider[..50] + "…" : provider)}' has limits here.");
}

/// <summary>The body of <c>PUT /api/admin/providers/{provider}/limits</c>: the whole override (null = no limit).</summary>
public sealed record ProviderLimitsBody(int? MaxConcurrent, int? MaxSubmitsPerMinute, Dictionary<string, ModelLimitsBody>? Models);

/// <summary>One model's limit in <see cref="ProviderLimitsBody"/>.</summary>
public sealed record ModelLimitsBody(int? MaxConcurrent);

/// <summary>A provider's limits in force (<c>source</c>: <c>configuration</c> or <c>admin</c>) and its slots in use now.</summary>
public sealed record ProviderLimitsDto(
    string Provider,
    int? MaxConcurrent,
    int? MaxSubmitsPerMinute,
    IReadOnlyDictionary<string, ModelLimitsDto> Models,
    string Source,
    int InUse,
    IReadOnlyDictionary<string, int> InUseByModel,
    int SubmitsLastMinute)
{
    public static ProviderLimitsDto From(string provider, EffectiveProviderLimits effective, ProviderSlotUsage usage) => new(
        provider,
        effective.Limits.MaxConcurrent,
        effective.Limits.MaxSubmitsPerMinute,
        effective.Limits.Models.ToDictionary(m => m.Key, m => new ModelLimitsDto(m.Value), StringComparer.Ordinal),
        effective.SetByAdmin ? "admin" : "configuration",
        usage.InUse,
        usage.InUseByModel,
        usage.SubmitsLastMinute);
}

/// <summary>One model's limit in <see cref="ProviderLimitsDto"/>.</summary>
public sealed record ModelLimitsDto(int MaxConcurrent);
