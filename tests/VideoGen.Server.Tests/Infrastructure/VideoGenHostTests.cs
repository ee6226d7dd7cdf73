namespace VideoGen.Server.Tests.Infrastructure;

/// <summary>A test class with its own in-process VideoGen host (fresh data directory) and a client for it.</summary>
public abstract class VideoGenHostTests(VideoGenFactory factory) : IAsyncLifetime
{
    protected VideoGenFactory Factory { get; } = factory;

    protected HttpClient Http { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Http = Factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
