namespace VideoGen.Queue.Tests.Support;

/// <summary>A job handler from a lambda.</summary>
public sealed class DelegateHandler(Func<JobContext, CancellationToken, Task<string?>> handle) : IJobHandler
{
    public Task<string?> HandleAsync(JobContext job, CancellationToken ct) => handle(job, ct);

    public static DelegateHandler Completing(string? result = null) => new((_, _) => Task.FromResult(result));
}
