namespace VideoGen.Queue.Processing;

/// <summary>
/// What the claim loop and the second lane tell each other: a wake-up for each (a <see cref="WakeSignal"/>
/// has one reader), whether the claim loop has a store call out (the second lane works only then), and
/// whether the second lane is claiming (a stopping claim loop waits for that claim before it reports
/// claiming stopped).
/// </summary>
internal sealed class LaneSignals
{
    private int _claimLoopInCall;
    private int _secondLaneClaiming;

    public WakeSignal ClaimLoopWake { get; } = new();

    public WakeSignal SecondLaneWake { get; } = new();

    public bool ClaimLoopInCall => Volatile.Read(ref _claimLoopInCall) == 1;

    public bool SecondLaneClaiming => Volatile.Read(ref _secondLaneClaiming) == 1;

    /// <summary>Wakes both lanes: a handler finished, or shutdown needs them.</summary>
    public void WakeBoth()
    {
        ClaimLoopWake.Set();
        SecondLaneWake.Set();
    }

    /// <summary>The claim loop sends a store call: the second lane may work while it is out.</summary>
    public void ClaimLoopCallStarted()
    {
        Volatile.Write(ref _claimLoopInCall, 1);
        SecondLaneWake.Set();
    }

    public void ClaimLoopCallEnded() => Volatile.Write(ref _claimLoopInCall, 0);

    /// <summary>Raised before the second lane looks at whether claiming stopped, lowered once its claimed jobs are held.</summary>
    public void SecondLaneClaimStarted() => Interlocked.Exchange(ref _secondLaneClaiming, 1);

    public void SecondLaneClaimEnded() => Interlocked.Exchange(ref _secondLaneClaiming, 0);
}
