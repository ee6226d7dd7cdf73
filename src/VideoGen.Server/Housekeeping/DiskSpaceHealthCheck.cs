using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VideoGen.Server.Housekeeping;

/// <summary>Ready = the data and media volumes have at least <c>VideoGen:Disk:MinFreeBytes</c> free.</summary>
internal sealed class DiskSpaceHealthCheck(DiskSpaceGuard disk) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(disk.IsLow()
            ? HealthCheckResult.Unhealthy("Free disk space is below VideoGen:Disk:MinFreeBytes; new videos and uploads are refused.")
            : HealthCheckResult.Healthy());
}
