using Microsoft.Extensions.DependencyInjection;

namespace VideoGen.Queue.Hosting;

/// <summary>Runs each job in its own DI scope with a fresh <typeparamref name="THandler"/>.</summary>
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
