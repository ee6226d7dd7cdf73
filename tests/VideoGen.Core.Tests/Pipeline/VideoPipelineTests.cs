using Microsoft.Extensions.Time.Testing;
using VideoGen.Core.Providers;
using VideoGen.Core.Tests.Support;
using VideoGen.Core.Videos;
using VideoGen.Queue;

namespace VideoGen.Core.Tests.Pipeline;

public class VideoPipelineTests
{
    private sealed class SimulatedCrash : Exception;

    [Fact]
    public async Task Run_RemoteProvider_GoesThroughEveryStepAndStoresOurCopy()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v1");
        var provider = h.NewProvider();
        provider.OnStatus = n => n switch
        {
            <= 3 => new ProviderStatus(ProviderPhase.InQueue, QueuePosition: 2),
            4 => new ProviderStatus(ProviderPhase.InQueue, QueuePosition: 0),
            5 or 6 => new ProviderStatus(ProviderPhase.InProgress, Progress: 0.5, Logs: ["step 1", "step 2"]),
            _ => new ProviderStatus(ProviderPhase.Completed, Logs: ["step 1", "step 2", "done"]),
        };

        var status = await h.NewPipeline(provider).RunAsync("v1", h.Job("v1"), ct);

        Assert.Equal(VideoStatus.Succeeded, status);
        var v = h.Repo.Get("v1");
        Assert.Equal(VideoStatus.Succeeded, v.Status);
        Assert.Equal("remote", v.Provider);
        Assert.Equal("req-1", v.ProviderRequestId);
        Assert.Equal("https://queue.example/requests/req-1/status", v.ProviderStatusUrl);
        Assert.NotNull(v.SubmittedAt);
        Assert.Equal(h.SampleUrl.ToString(), v.ProviderResultUrl);
        Assert.Equal("videos/v1.mp4", v.ResultPath);
        Assert.Equal("posters/v1.jpg", v.PosterPath);
        Assert.True(h.Store.Exists(v.ResultPath!) && h.Store.Exists(v.PosterPath!));
        Assert.Equal(("h264", 320, 180), (v.VideoCodec, v.Width, v.Height));
        Assert.Equal("step 1\nstep 2\ndone", v.LogsExcerpt);
        Assert.NotNull(v.CompletedAt);
        Assert.Null(v.Error);
        Assert.Equal(1, h.Ledger.Submits);

        // Each state was saved in order, and unchanged polls wrote nothing.
        var statuses = h.Repo.History.Select(x => x.Status).Distinct().ToList();
        Assert.Equal([VideoStatus.Submitting, VideoStatus.InQueue, VideoStatus.Generating, VideoStatus.Ingesting, VideoStatus.Succeeded], statuses);
        Assert.Equal(1, h.Repo.History.Count(x => x.Status == VideoStatus.InQueue && x.QueuePosition == 2));
        Assert.Equal(
            [
                """{"status":"submitting","progress":null,"queuePosition":null}""",
                """{"status":"in_queue","progress":null,"queuePosition":null}""",
                """{"status":"in_queue","progress":null,"queuePosition":2}""",
                """{"status":"in_queue","progress":null,"queuePosition":0}""",
                """{"status":"generating","progress":0.5,"queuePosition":null}""",
                """{"status":"generating","progress":1,"queuePosition":null}""",
                """{"status":"ingesting","progress":1,"queuePosition":null}""",
                """{"status":"succeeded","progress":1,"queuePosition":null}""",
            ],
            h.Progress);
    }

    [Fact]
    public async Task Run_CrashRightAfterHandleSaved_ResumesSameRequest_WithExactlyOneSubmit()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-crash");
        h.Repo.AfterSave = v =>
        {
            if (v.ProviderRequestId is not null)
            {
                throw new SimulatedCrash();
            }
        };

        // Worker 1 fails right after the provider handle became durable: paid for, so the job is released for
        // later without using an attempt (issue 11, path 2).
        await Assert.ThrowsAsync<RetryAfterException>(() => h.NewPipeline(h.NewProvider()).RunAsync("v-crash", h.Job("v-crash", attempt: 1), ct));
        var afterCrash = h.Repo.Get("v-crash");
        Assert.Equal("req-1", afterCrash.ProviderRequestId);
        Assert.False(afterCrash.Status.IsTerminal());

        // Worker 2 (new pipeline, new provider client) picks the job up again.
        h.Repo.AfterSave = null;
        var status = await h.NewPipeline(h.NewProvider()).RunAsync("v-crash", h.Job("v-crash", attempt: 2), ct);

        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(1, h.Ledger.Submits);
        Assert.All(h.Ledger.StatusRequests, id => Assert.Equal("req-1", id));
        Assert.Equal(2, h.Repo.Get("v-crash").Attempts);
    }

    [Fact]
    public async Task Run_CrashBetweenSubmitAndHandleSave_IsUnconfirmed_NotResubmittedWithinTheWindow()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        h.Time = clock;
        h.AddVideo("v-lost");
        var provider = h.NewProvider();
        // Worker 1 sends the paid submit and dies before the handle is saved.
        provider.OnSubmit = _ =>
        {
            h.Ledger.NextSubmit();
            throw new SimulatedCrash();
        };
        await Assert.ThrowsAsync<SimulatedCrash>(() => h.NewPipeline(provider).RunAsync("v-lost", h.Job("v-lost", attempt: 1), ct));
        Assert.Equal(VideoStatus.Submitting, h.Repo.Get("v-lost").Status);
        clock.Advance(h.Options.SubmitUnconfirmedWindow - TimeSpan.FromSeconds(1));

        var again = await Assert.ThrowsAsync<RetryAfterException>(() => h.NewPipeline(h.NewProvider()).RunAsync("v-lost", h.Job("v-lost", attempt: 2), ct));

        var v = h.Repo.Get("v-lost");
        Assert.Equal(VideoStatus.SubmitUnconfirmed, v.Status);
        Assert.Null(v.ErrorType);
        Assert.Null(v.ResubmittedAt);
        Assert.Equal(TimeSpan.FromSeconds(1), again.Delay);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_UnconfirmedPastTheWindow_IsSubmittedAgainOnce_AndSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        h.Time = clock;
        var startedAt = clock.GetUtcNow();
        // As a worker killed between marking the row and sending leaves it.
        h.AddVideo("v-killed", setup: v => { v.Status = VideoStatus.Submitting; v.Provider = "remote"; v.SubmitStartedAt = startedAt; });
        clock.Advance(h.Options.SubmitUnconfirmedWindow);

        var status = await h.NewPipeline(h.NewProvider()).RunAsync("v-killed", h.Job("v-killed", attempt: 1), ct);

        var v = h.Repo.Get("v-killed");
        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(1, h.Ledger.Submits);
        Assert.Equal(clock.GetUtcNow(), v.ResubmittedAt);
        Assert.Contains(VideoStatus.SubmitUnconfirmed, h.Repo.History.Where(x => x.Id == "v-killed").Select(x => x.Status));
    }

    [Fact]
    public async Task Run_SecondSubmitUnconfirmedToo_FailsAfterItsWindow_NeverAThirdSubmit()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        h.Time = clock;
        h.AddVideo("v-twice", setup: v => { v.Status = VideoStatus.Submitting; v.Provider = "remote"; v.SubmitStartedAt = clock.GetUtcNow(); });
        var lost = h.NewProvider();
        lost.OnSubmit = _ =>
        {
            h.Ledger.NextSubmit();
            throw new ProviderException(ProviderErrorKind.Permanent, "answer lost", ProviderErrorTypes.SubmitOutcomeUnknown);
        };
        clock.Advance(h.Options.SubmitUnconfirmedWindow);

        await Assert.ThrowsAsync<RetryAfterException>(() => h.NewPipeline(lost).RunAsync("v-twice", h.Job("v-twice"), ct));
        var afterResubmit = h.Repo.Get("v-twice");
        clock.Advance(h.Options.SubmitUnconfirmedWindow);
        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(lost).RunAsync("v-twice", h.Job("v-twice"), ct));

        var v = h.Repo.Get("v-twice");
        Assert.Equal(VideoStatus.SubmitUnconfirmed, afterResubmit.Status);
        Assert.NotNull(afterResubmit.ResubmittedAt);
        Assert.Equal(VideoStatus.Failed, v.Status);
        Assert.Equal(ProviderErrorTypes.SubmitOutcomeUnknown, v.ErrorType);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_StoppedAfterMarkingSubmitting_BeforeSending_IsPutBackQueued_AndTheNextRunSubmitsOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-stop");
        using var stop = new CancellationTokenSource();
        h.Repo.AfterSave = v =>
        {
            if (v.Status == VideoStatus.Submitting)
            {
                stop.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.NewPipeline(h.NewProvider()).RunAsync("v-stop", h.Job("v-stop", attempt: 1), stop.Token));
        var afterStop = h.Repo.Get("v-stop");
        h.Repo.AfterSave = null;
        var status = await h.NewPipeline(h.NewProvider()).RunAsync("v-stop", h.Job("v-stop", attempt: 2), ct);

        Assert.Equal(VideoStatus.Queued, afterStop.Status);
        Assert.Null(afterStop.SubmitStartedAt);
        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_SubmitRefusedTransiently_IsSubmittedAgainOnRetry()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-503");
        var refusing = h.NewProvider();
        refusing.OnSubmit = _ => throw new ProviderException(ProviderErrorKind.Transient, "503 Service Unavailable");

        await Assert.ThrowsAsync<ProviderException>(() => h.NewPipeline(refusing).RunAsync("v-503", h.Job("v-503", attempt: 1), ct));
        Assert.Equal(VideoStatus.Queued, h.Repo.Get("v-503").Status);

        var status = await h.NewPipeline(h.NewProvider()).RunAsync("v-503", h.Job("v-503", attempt: 2), ct);

        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_WorkerStopsWhileWaiting_LeavesRowResumable_AndNextRunReattaches()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-stop");
        var waiting = h.NewProvider();
        waiting.OnStatus = _ => new ProviderStatus(ProviderPhase.InQueue, QueuePosition: 5);
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var run = h.NewPipeline(waiting).RunAsync("v-stop", h.Job("v-stop"), shutdown.Token);
        await Eventually.TrueAsync(() => Task.FromResult(h.Repo.Get("v-stop").QueuePosition == 5), TimeSpan.FromSeconds(10), "the video to be waiting at the provider");
        await shutdown.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(VideoStatus.InQueue, h.Repo.Get("v-stop").Status);
        Assert.Empty(h.Ledger.Cancels);

        var status = await h.NewPipeline(h.NewProvider()).RunAsync("v-stop", h.Job("v-stop", attempt: 2), ct);
        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_PermanentSubmitError_FailsWithProviderReason()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-perm");
        var provider = h.NewProvider();
        provider.OnSubmit = _ => throw new ProviderException(ProviderErrorKind.Permanent, "Prompt violates the content policy.", "content_policy_violation");

        var ex = await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(provider).RunAsync("v-perm", h.Job("v-perm"), ct));

        var v = h.Repo.Get("v-perm");
        Assert.Equal(VideoStatus.Failed, v.Status);
        Assert.Equal("Prompt violates the content policy.", v.Error);
        Assert.Equal("content_policy_violation", v.ErrorType);
        Assert.Equal("Prompt violates the content policy.", ex.Message);
        Assert.NotNull(v.CompletedAt);
    }

    [Fact]
    public async Task Run_ProviderReportsFailure_FailsWithItsError()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-failed");
        var provider = h.NewProvider();
        provider.OnStatus = _ => new ProviderStatus(ProviderPhase.Failed, Error: "Model crashed: out of memory", ErrorType: "internal_error");

        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(provider).RunAsync("v-failed", h.Job("v-failed"), ct));

        var v = h.Repo.Get("v-failed");
        Assert.Equal((VideoStatus.Failed, "Model crashed: out of memory", "internal_error"), (v.Status, v.Error, v.ErrorType));
    }

    [Fact]
    public async Task Run_TransientStatusErrorsAfterTheSubmit_AreWaitedOut_EvenOnTheLastAttempt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-transient");
        var flaky = h.NewProvider();
        flaky.OnStatus = poll => poll <= 3
            ? throw new ProviderException(ProviderErrorKind.Transient, "503 Service Unavailable")
            : new ProviderStatus(ProviderPhase.Completed);

        var status = await h.NewPipeline(flaky).RunAsync("v-transient", h.Job("v-transient", 3, 3), ct);

        Assert.Equal(VideoStatus.Succeeded, status);
        Assert.Equal(VideoStatus.Succeeded, h.Repo.Get("v-transient").Status);
        Assert.Equal(1, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_TransientErrorOnLastAttempt_FailsTheVideoWithTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-last");
        var flaky = h.NewProvider();
        // Before any paid submit (a refusal: nothing was created), transient errors use the queue's attempts.
        flaky.OnSubmit = _ => throw new ProviderException(ProviderErrorKind.Transient, "connection reset");

        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(flaky).RunAsync("v-last", h.Job("v-last", 3, 3), ct));

        var v = h.Repo.Get("v-last");
        Assert.Equal(VideoStatus.Failed, v.Status);
        Assert.Equal("Gave up after 3 attempts: connection reset", v.Error);
    }

    [Fact]
    public async Task Run_RateLimited_AsksQueueToRetryAfterTheProvidersDelay()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-429");
        var provider = h.NewProvider();
        provider.OnSubmit = _ => throw new ProviderException(ProviderErrorKind.RateLimited, "429 Too Many Requests", retryAfter: TimeSpan.FromSeconds(7));

        var ex = await Assert.ThrowsAsync<RetryAfterException>(() => h.NewPipeline(provider).RunAsync("v-429", h.Job("v-429", 3, 3), ct));

        Assert.Equal(TimeSpan.FromSeconds(7), ex.Delay);
        var v = h.Repo.Get("v-429");
        // A refused submit created nothing, so the video is back to queued and may be submitted again.
        Assert.Equal(VideoStatus.Queued, v.Status);
        Assert.Null(v.ProviderRequestId);
    }

    [Fact]
    public async Task Run_ProviderForgotTheRequest_FailsAsExpired_WithoutResubmitting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-expired", setup: v =>
        {
            v.Provider = "remote";
            v.ProviderRequestId = "req-old";
            v.SubmittedAt = TimeProvider.System.GetUtcNow();
            v.Status = VideoStatus.InQueue;
        });
        var provider = h.NewProvider();
        provider.OnStatus = _ => new ProviderStatus(ProviderPhase.NotFound);

        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(provider).RunAsync("v-expired", h.Job("v-expired"), ct));

        var v = h.Repo.Get("v-expired");
        Assert.Equal((VideoStatus.Failed, "request_expired"), (v.Status, v.ErrorType));
        Assert.Contains("expired", v.Error, StringComparison.Ordinal);
        Assert.Equal(0, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_ResultUrlAlreadyKnown_SkipsTheProviderAndIngests()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-known", setup: v =>
        {
            v.Provider = "remote";
            v.ProviderRequestId = "req-old";
            v.ProviderResultUrl = h.SampleUrl.ToString();
            v.Status = VideoStatus.Generating;
        });
        var provider = h.NewProvider();
        provider.OnStatus = _ => new ProviderStatus(ProviderPhase.NotFound);

        Assert.Equal(VideoStatus.Succeeded, await h.NewPipeline(provider).RunAsync("v-known", h.Job("v-known"), ct));
        Assert.Empty(h.Ledger.StatusRequests);
        Assert.Equal(0, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_CancelRequestedWhileGenerating_CancelsAtProviderAndEndsCanceled()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-cancel");
        var provider = h.NewProvider();
        provider.OnStatus = _ => new ProviderStatus(ProviderPhase.InProgress, Progress: 0.3);
        using var jobToken = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var run = h.NewPipeline(provider).RunAsync("v-cancel", h.Job("v-cancel"), jobToken.Token);
        await Eventually.TrueAsync(() => Task.FromResult(h.Repo.Get("v-cancel").Status == VideoStatus.Generating), TimeSpan.FromSeconds(10), "the video to be generating");
        h.Repo.Update("v-cancel", v => v.CancelRequestedAt = TimeProvider.System.GetUtcNow()); // what the cancel API does…
        await jobToken.CancelAsync();                                                           // …and the queue fires the job's token
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var saved = h.Repo.Get("v-cancel");
        Assert.Equal(VideoStatus.Canceled, saved.Status);
        Assert.NotNull(saved.CancelRequestedAt);
        Assert.NotNull(saved.CompletedAt);
        Assert.Equal(["req-1"], h.Ledger.Cancels);
    }

    [Fact]
    public async Task Run_CancelRequestedBeforeStart_EndsCanceledWithoutSubmitting()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-precancel", setup: v => v.CancelRequestedAt = TimeProvider.System.GetUtcNow());

        Assert.Equal(VideoStatus.Canceled, await h.NewPipeline(h.NewProvider()).RunAsync("v-precancel", h.Job("v-precancel"), ct));
        Assert.Equal(0, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_DeadlineExceeded_CancelsAtProviderAndFails()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.Options.Deadline = TimeSpan.FromMilliseconds(300);
        h.AddVideo("v-slow");
        var provider = h.NewProvider();
        provider.OnStatus = _ => new ProviderStatus(ProviderPhase.InQueue, QueuePosition: 9);

        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(provider).RunAsync("v-slow", h.Job("v-slow"), ct));

        var v = h.Repo.Get("v-slow");
        Assert.Equal((VideoStatus.Failed, "deadline_exceeded"), (v.Status, v.ErrorType));
        Assert.StartsWith("Deadline exceeded", v.Error, StringComparison.Ordinal);
        Assert.Equal(["req-1"], h.Ledger.Cancels);
    }

    [Theory]
    [InlineData(VideoStatus.Succeeded)]
    [InlineData(VideoStatus.Failed)]
    [InlineData(VideoStatus.Canceled)]
    public async Task Run_TerminalVideo_ReturnsAtOnceWithoutTouchingAnything(VideoStatus terminal)
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-done", setup: v => v.Status = terminal);

        Assert.Equal(terminal, await h.NewPipeline(h.NewProvider()).RunAsync("v-done", h.Job("v-done"), ct));
        Assert.Empty(h.Repo.History);
        Assert.Equal(0, h.Ledger.Submits);
    }

    [Fact]
    public async Task Run_UnknownVideo_IsPermanent()
    {
        using var h = await PipelineHarness.CreateAsync();

        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(h.NewProvider()).RunAsync("nope", null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Run_ResultThatIsNotAVideo_FailsTheVideo()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        var bogus = Path.Combine(h.WorkDir, "remote", "bogus.mp4");
        await File.WriteAllTextAsync(bogus, "not a video", ct);
        h.AddVideo("v-bogus");
        var provider = new ScriptedProvider(h.Ledger, new Uri(bogus)) { LocalResultsFolder = h.WorkDir };

        await Assert.ThrowsAsync<PermanentJobException>(() => h.NewPipeline(provider).RunAsync("v-bogus", h.Job("v-bogus"), ct));

        Assert.Equal((VideoStatus.Failed, "ingest_not_video"), (h.Repo.Get("v-bogus").Status, h.Repo.Get("v-bogus").ErrorType));
    }

    [Fact]
    public async Task Run_LongProviderLogs_KeepsOnlyABoundedTail()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-logs");
        var provider = h.NewProvider();
        var logs = Enumerable.Range(1, 100).Select(i => $"line {i} " + new string('x', 300)).ToList();
        provider.OnStatus = n => n == 1 ? new ProviderStatus(ProviderPhase.InProgress, Logs: logs) : new ProviderStatus(ProviderPhase.Completed);

        await h.NewPipeline(provider).RunAsync("v-logs", h.Job("v-logs"), ct);

        var excerpt = h.Repo.Get("v-logs").LogsExcerpt!;
        Assert.True(excerpt.Length <= 4096, $"excerpt has {excerpt.Length} chars");
        Assert.EndsWith("line 100 " + new string('x', 300), excerpt, StringComparison.Ordinal);
        Assert.StartsWith("line ", excerpt, StringComparison.Ordinal);
        Assert.True(excerpt.Split('\n').Length <= 20);
    }

    [Fact]
    public async Task Run_WithPublicBaseUrl_GivesRemoteProvidersAWebhookUrl()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.PublicUrls.PublicBaseUrl = new Uri("https://videos.example.com/app");
        h.AddVideo("v-hook");
        var provider = h.NewProvider();

        await h.NewPipeline(provider).RunAsync("v-hook", h.Job("v-hook"), ct);

        // The URL names the video, so a webhook for a lost submit still finds it, and carries the video's token.
        var token = h.WebhookTokens.TokenFor("v-hook");
        Assert.Equal($"https://videos.example.com/app/webhooks/remote?video=v-hook&token={token}", provider.LastRequest!.WebhookUrl!.AbsoluteUri);
        Assert.True(h.WebhookTokens.IsValid("v-hook", token));
        Assert.Equal("v-hook", provider.LastRequest.VideoId);
    }

    [Fact]
    public async Task Run_WithPublicBaseUrl_GivesAProviderWithoutWebhooksNoWebhookUrl()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.PublicUrls.PublicBaseUrl = new Uri("https://videos.example.com/app");
        h.AddVideo("v-no-hook");
        var provider = new ScriptedProvider(h.Ledger, h.SampleUrl) { SupportsWebhooks = false, LocalResultsFolder = h.WorkDir };

        await h.NewPipeline(provider).RunAsync("v-no-hook", h.Job("v-no-hook"), ct);

        Assert.Null(provider.LastRequest!.WebhookUrl);
        Assert.Equal(VideoStatus.Succeeded, h.Repo.Get("v-no-hook").Status);
    }

    [Fact]
    public async Task Run_CancelRequestedWhileRowKeepsChanging_StillEndsCanceled()
    {
        var ct = TestContext.Current.CancellationToken;
        using var h = await PipelineHarness.CreateAsync();
        h.AddVideo("v-busy-cancel");
        var provider = h.NewProvider();
        provider.OnStatus = n => new ProviderStatus(ProviderPhase.InProgress, Progress: Math.Min(0.99, n / 1000.0));
        using var jobToken = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var run = h.NewPipeline(provider).RunAsync("v-busy-cancel", h.Job("v-busy-cancel"), jobToken.Token);
        await Eventually.TrueAsync(() => Task.FromResult(h.Repo.Get("v-busy-cancel").Status == VideoStatus.Generating), TimeSpan.FromSeconds(10), "the video to be generating");
        h.Repo.Update("v-busy-cancel", v => v.CancelRequestedAt = TimeProvider.System.GetUtcNow());
        var savesAtCancel = h.Repo.History.Count;
        await Eventually.TrueAsync(() => Task.FromResult(h.Repo.History.Count > savesAtCancel), TimeSpan.FromSeconds(10), "the pipeline to save progress after the cancel request");
        await jobToken.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(VideoStatus.Canceled, h.Repo.Get("v-busy-cancel").Status);
        Assert.Equal(["req-1"], h.Ledger.Cancels);
    }
}
