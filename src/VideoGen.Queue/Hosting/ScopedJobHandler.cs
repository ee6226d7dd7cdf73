using Microsoft.Extensions.DependencyInjection;

namespace VideoGen.Queue.Hosting;

/// <summary>
/// Runs each job in its own DI scope with <typeparamref name="THandler"/> resolved from it. This is the job's one
/// scope: a handler registered scoped, and every scoped service it takes, belongs to that job alone, so handlers
/// need not open scopes of their own.
/// </summary>
internal sealed class ScopedJobHandler<THandler>(IServiceScopeFactory scopes) : IJobHandler
    where THandler : class, IJobHandler
{
    public async Task<string?> HandleAsync(JobContext job, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<THandler>();
        return await handler.HandleAsync(job, ct);
    }
}
