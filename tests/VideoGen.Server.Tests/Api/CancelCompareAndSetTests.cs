using System.Net;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Videos;
using VideoGen.Queue;
using VideoGen.Server.Queueing;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>
/// The user's cancel (<c>POST /api/videos/{id}/cancel</c>) writes the row by compare-and-set, like the pipeline: a worker
/// that moves the video between the route's read and its write (here: while the route asks the queue to cancel the job)
/// is never overwritten.
/// </summary>
public sealed class CancelCompareAndSetTests
{
    [Fact]
    public async Task Cancel_RacingAWorkerThatSubmitsTheVideo_LeavesTheWorkersTransition_AndRecordsTheCancelRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var hook = new CancelHook();
        await using var factory = new VideoGenFactory { WorkersEnabled = false, TestServices = hook.Install };
        using var http = factory.CreateClient();
        var id = (await http.CreateVideoAsync()).GetProperty("id").GetString()!;
        var jobs = factory.Services.GetRequiredService<VideoJobs>();
        // A queued row whose job is gone (e.g. the API died between insert and enqueue): the route cancels it at once...
        Assert.True(await jobs.Queue.RemoveAsync(id, ct));
        // ...unless a worker (its job given back by the reconciler) submits it meanwhile.
        hook.BeforeCancel = async () =>
        {
            var videos = factory.Services.GetRequiredService<IVideoRepository>();
            var worker = (await videos.FindAsync(id, ct))!;
            var seen = StoredVideoState.Of(worker);
            worker.Status = VideoStatus.InQueue;
            worker.Provider = "local";
            worker.ProviderRequestId = "req-race";
            worker.SubmittedAt = TimeProvider.System.GetUtcNow();
            Assert.True(await videos.TrySaveAsync(worker, seen, ct));
        };

        using var response = await http.PostAsync($"/api/videos/{id}/cancel");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = (await factory.VideosInDatabaseAsync()).Single(v => v.Id == id);
        Assert.Equal((VideoStatus.InQueue, "req-race"), (stored.Status, stored.ProviderRequestId));
        Assert.NotNull(stored.CancelRequestedAt);
        Assert.Null(stored.CompletedAt);
    }

    /// <summary>Runs <see cref="BeforeCancel"/> when the videos queue is asked to cancel a job, then cancels it.</summary>
    private sealed class CancelHook
    {
        public Func<Task>? BeforeCancel { get; set; }

        /// <summary>The hook, once: later cancels go straight to the store.</summary>
        public Func<Task>? TakeBeforeCancel()
        {
            var before = BeforeCancel;
            BeforeCancel = null;
            return before;
        }

        public void Install(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(IQueueStoreFactory));
            services.Remove(original);
            services.AddSingleton<IQueueStoreFactory>(sp =>
            {
                var inner = (IQueueStoreFactory)(original.ImplementationInstance
                    ?? original.ImplementationFactory?.Invoke(sp)
                    ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
                return new HookedFactory(inner, this);
            });
        }

        private sealed class HookedFactory(IQueueStoreFactory inner, CancelHook hook) : IQueueStoreFactory
        {
            public IQueueStore Open(string queueName)
            {
                var proxy = DispatchProxy.Create<IQueueStore, StoreProxy>();
                ((StoreProxy)(object)proxy).Init(inner.Open(queueName), hook.TakeBeforeCancel);
                return proxy;
            }
        }
    }

    /// <summary>Forwards every call to the real store; a cancel first runs the hook.</summary>
    public class StoreProxy : DispatchProxy
    {
        private IQueueStore _inner = null!;
        private Func<Func<Task>?> _takeHook = null!;

        internal void Init(IQueueStore inner, Func<Func<Task>?> takeHook) => (_inner, _takeHook) = (inner, takeHook);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IQueueStore.CancelAsync) && _takeHook() is { } before)
            {
                return CancelAfterAsync(before, targetMethod, args);
            }
            return Forward(targetMethod, args);
        }

        private async Task<CancelOutcome> CancelAfterAsync(Func<Task> before, MethodInfo method, object?[]? args)
        {
            await before();
            return await (Task<CancelOutcome>)Forward(method, args)!;
        }

        private object? Forward(MethodInfo method, object?[]? args)
        {
            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
