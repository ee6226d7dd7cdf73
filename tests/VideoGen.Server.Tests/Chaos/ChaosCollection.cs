namespace VideoGen.Server.Tests.Chaos;

/// <summary>
/// The chaos tests each run five processes (API, two workers, FakeFal, Redis) at full tilt for minutes, the
/// cluster script a dozen; the Sentinel failover and the event-stream scale tests time recoveries and answers.
/// They run one at a time and alone, after the parallel tests, so their timings are theirs and not the suite's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "Chaos";
}
