using System.Collections.Concurrent;

namespace VideoGen.Queue;

/// <summary>
/// Producer-side access to queues by name (one <see cref="JobQueue"/> per name, opened lazily from
/// the registered <see cref="IQueueStoreFactory"/>). Register with <c>services.AddJobQueues()</c>.
/// </summary>
public sealed class JobQueues(IQueueStoreFactory stores, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, JobQueue> _queues = new(StringComparer.Ordinal);

    public JobQueue Get(string queueName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        return _queues.GetOrAdd(queueName, name => new JobQueue(stores.Open(name), time));
    }
}
