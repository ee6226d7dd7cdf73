using VideoGen.Queue.Processing;
using VideoGen.Queue.Tests.Support;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>A stopping worker learns when its last job is done, and not before it stops.</summary>
public sealed class ActiveExecutionsTests
{
    [Fact]
    public void Drained_DoesNotCompleteAtZero_WhileTheWorkerIsNotStopping()
    {
        using var stopping = new CancellationTokenSource();
        var executions = new ActiveExecutions(stopping.Token);

        executions.Begin();
        executions.End();

        Assert.Equal(0, executions.Count);
        Assert.False(executions.Drained.IsCompleted);
    }

    [Fact]
    public async Task Drained_CompletesWhenTheLastExecutionEnds_AfterStop()
    {
        using var stopping = new CancellationTokenSource();
        var executions = new ActiveExecutions(stopping.Token);
        executions.Begin();
        executions.Begin();
        await stopping.CancelAsync();

        executions.End();
        Assert.False(executions.Drained.IsCompleted);
        executions.End();

        await Eventually.CompletesAsync(executions.Drained, "the executions to be drained once the last one ended");
    }
}
