using VideoGen.Queue.Processing;

namespace VideoGen.Queue.Tests.Processing;

/// <summary>The claim loop's store call is what lets the second lane work; a wake-up set before a wait is not lost.</summary>
public sealed class LaneSignalsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimLoopCallStarted_RaisesInCall_AndWakesTheSecondLane()
    {
        var lanes = new LaneSignals();

        lanes.ClaimLoopCallStarted();

        Assert.True(lanes.ClaimLoopInCall);
        Assert.True(await lanes.SecondLaneWake.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        lanes.ClaimLoopCallEnded();
        Assert.False(lanes.ClaimLoopInCall);
    }

    [Fact]
    public async Task WakeBoth_WakesEachLaneOnce()
    {
        var lanes = new LaneSignals();

        lanes.WakeBoth();
        lanes.WakeBoth();

        Assert.True(await lanes.ClaimLoopWake.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        Assert.True(await lanes.SecondLaneWake.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        Assert.False(await lanes.ClaimLoopWake.WaitAsync(TimeSpan.FromMilliseconds(20), Ct));
    }

    [Fact]
    public void SecondLaneClaim_IsVisibleToTheClaimLoopUntilItEnds()
    {
        var lanes = new LaneSignals();

        lanes.SecondLaneClaimStarted();
        Assert.True(lanes.SecondLaneClaiming);
        lanes.SecondLaneClaimEnded();

        Assert.False(lanes.SecondLaneClaiming);
    }
}
