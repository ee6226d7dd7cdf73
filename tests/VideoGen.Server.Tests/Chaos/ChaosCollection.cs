namespace VideoGen.Server.Tests.Chaos;

/// <summary>
/// The chaos tests each run five processes (API, two workers, FakeFal, Redis) at full tilt for minutes, the cluster
/// script a dozen, and the event-stream scale test times answers under 2,000 connections: they run one at a time and
/// alone, after the parallel tests, so their timings are theirs and not the suite's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection
{
    public const string Name = "Chaos";
}
