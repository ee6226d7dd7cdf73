using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using VideoGen.Core.Models;
using VideoGen.Server.Options;

namespace VideoGen.Server.Apis;

/// <summary>
/// <c>POST /api/videos/estimate</c>: what a create with this model and these parameters would be estimated to cost,
/// before anything is stored or paid. The page calls it as options change. It takes the create body (only the model
/// and parameters count: a price does not depend on the prompt or image), so a client can send what it would create.
/// </summary>
public static class EstimateApi
{
    public static async Task<Results<Ok<CostEstimateDto>, ValidationProblem, ProblemHttpResult>> Estimate(
        HttpRequest request, VideoRequestValidator validator, IOptions<VideoGenOptions> options, CancellationToken ct)
    {
        var body = await JsonBody.ReadAsync<CreateVideoBody>(request, options.Value.MaxJsonBodyBytes, CreateVideoBody.Fields, ct);
        if (body.Problem is not null)
        {
            return body.ProblemAs<Results<Ok<CostEstimateDto>, ValidationProblem, ProblemHttpResult>>(v => v, p => p);
        }
        var estimate = validator.Estimate(body.Value!.Model, body.Value.Parameters);
        if (!estimate.IsValid)
        {
            return TypedResults.ValidationProblem(estimate.Errors);
        }
        return TypedResults.Ok(new CostEstimateDto(estimate.Model!.Id, estimate.CostUsd));
    }
}

/// <summary>The estimate for <see cref="Model"/>; <see cref="EstimatedCostUsd"/> is null when the model's price is unknown.</summary>
public sealed record CostEstimateDto(string Model, decimal? EstimatedCostUsd);
