namespace VideoGen.Queue.Tests.Processing;

/// <summary>Each outcome of a handler becomes exactly one store write, and a job whose lease was lost gets none.</summary>
public sealed class OutcomeWriterTests : IAsyncDisposable
{
    private readonly WorkerParts _parts = new();

    [Fact]
    public async Task Returned_WaitsAsACompletionForTheNextCall_AndIsStillHeld()
    {
        var run = await _parts.HoldOneAsync();

        await _parts.Outcomes.WriteAsync(run, "result", error: null);

        Assert.Equal(new JobCompletion(run.Job.Id, run.Job.LeaseToken, "result"), Assert.Single(_parts.TakeCompletions()).Completion);
        Assert.Equal(JobState.Active, (await _parts.GetAsync(run.Job.Id)).State);
        Assert.True(_parts.Held.TryGet(run.Job.Id, out _));
    }

    [Fact]
    public async Task PermanentJobException_FailsTheJobForGood_WithItsMessage()
    {
        var run = await _parts.HoldOneAsync();

        await _parts.Outcomes.WriteAsync(run, null, new PermanentJobException("bad input"));

        var job = await _parts.GetAsync(run.Job.Id);
        Assert.Equal(JobState.Failed, job.State);
        Assert.Equal("bad input", job.Error);
        Assert.False(_parts.Held.TryGet(run.Job.Id, out _));
    }

    [Fact]
    public async Task RetryAfterException_PutsTheJobBackAfterTheDelay_WithoutBurningAnAttempt()
    {
        var run = await _parts.HoldOneAsync();

        await _parts.Outcomes.WriteAsync(run, null, new RetryAfterException(TimeSpan.FromMinutes(2), "provider busy"));

        var job = await _parts.GetAsync(run.Job.Id);
        Assert.Equal(JobState.Delayed, job.State);
        Assert.Equal(WorkerParts.T0.AddMinutes(2), job.RunAt);
        Assert.Equal(0, job.Attempt);
    }

    [Fact]
    public async Task OtherException_RetriesWithTheJobsBackoff_NamingTheExceptionType()
    {
        var run = await _parts.HoldOneAsync(maxAttempts: 3);

        await _parts.Outcomes.WriteAsync(run, null, new InvalidOperationException("boom"));

        var job = await _parts.GetAsync(run.Job.Id);
        Assert.Equal(JobState.Delayed, job.State);
        Assert.Equal("InvalidOperationException: boom", job.Error);
        Assert.True(job.RunAt > WorkerParts.T0, $"the retry should wait for the backoff, it runs at {job.RunAt:O}");
    }

    [Fact]
    public async Task OtherException_OnTheLastAttempt_FailsTheJob()
    {
        var run = await _parts.HoldOneAsync(maxAttempts: 1);

        await _parts.Outcomes.WriteAsync(run, null, new InvalidOperationException("boom"));

        Assert.Equal(JobState.Failed, (await _parts.GetAsync(run.Job.Id)).State);
    }

    [Fact]
    public async Task CancelRequested_EndsTheJobCanceled_WhateverTheHandlerThrew()
    {
        var run = await _parts.HoldOneAsync();
        run.RequestCancel();

        await _parts.Outcomes.WriteAsync(run, null, new OperationCanceledException());

        Assert.Equal(JobState.Canceled, (await _parts.GetAsync(run.Job.Id)).State);
    }

    [Fact]
    public async Task ReleaseRequested_GivesTheJobBackAtOnce_WithItsAttempt()
    {
        var run = await _parts.HoldOneAsync();
        run.RequestRelease();

        await _parts.Outcomes.WriteAsync(run, null, new OperationCanceledException());

        var job = await _parts.GetAsync(run.Job.Id);
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal(0, job.Attempt);
    }

    [Fact]
    public async Task LostLease_WritesNothing_AndLetsGoOfTheJob()
    {
        var run = await _parts.HoldOneAsync();
        run.MarkLost();

        await _parts.Outcomes.WriteAsync(run, "result", error: null);

        Assert.Empty(_parts.TakeCompletions());
        Assert.Equal(JobState.Active, (await _parts.GetAsync(run.Job.Id)).State);
        Assert.False(_parts.Held.TryGet(run.Job.Id, out _));
    }

    [Fact]
    public async Task SecondOutcome_ForTheSameRun_IsIgnored()
    {
        var run = await _parts.HoldOneAsync();
        await _parts.Outcomes.WriteAsync(run, null, new PermanentJobException("first"));

        await _parts.Outcomes.WriteAsync(run, "second", error: null);

        Assert.Empty(_parts.TakeCompletions());
        Assert.Equal("first", (await _parts.GetAsync(run.Job.Id)).Error);
    }

    [Fact]
    public async Task ReportProgress_StoresIt_UntilTheLeaseIsLost()
    {
        var run = await _parts.HoldOneAsync();

        Assert.True(await _parts.Outcomes.ReportProgressAsync(run, """{"pct":40}""", TestContext.Current.CancellationToken));
        run.MarkLost();
        Assert.False(await _parts.Outcomes.ReportProgressAsync(run, """{"pct":80}""", TestContext.Current.CancellationToken));

        Assert.Equal("""{"pct":40}""", (await _parts.GetAsync(run.Job.Id)).Progress);
    }

    public ValueTask DisposeAsync() => _parts.DisposeAsync();
}
