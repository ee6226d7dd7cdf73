using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Security;

/// <summary>
/// The server the hostile corpus is thrown at: fal enabled with <see cref="SecretMarker"/> as its key (fal itself on a
/// loopback port where nothing listens, so nothing leaves the machine), workers off (a job that appeared would stay
/// visible), every log line captured at every level, and one ordinary video for the routes that need a real id.
/// </summary>
public sealed class HostileCorpusHost : IAsyncLifetime
{
    public const string SecretMarker = "fal-key-SECRET-MARKER-5b1e0c:do-not-leak";

    private readonly CapturedLogs _logs = new();

    public HostileCorpusHost()
    {
        var nowhere = $"http://127.0.0.1:{LoopbackPort.Free()}";
        Factory = new VideoGenFactory
        {
            WorkersEnabled = false,
            TestServices = services => services.AddSingleton<ILoggerProvider>(_logs),
        };
        Factory.Settings["VideoGen:Providers:Fal:Key"] = SecretMarker;
        Factory.Settings["VideoGen:Providers:Fal:BaseUrl"] = nowhere;
        Factory.Settings["VideoGen:Providers:Fal:JwksUrl"] = nowhere + "/.well-known/jwks.json";
        Factory.Settings["VideoGen:Providers:Fal:AllowLoopback"] = "true";
        Factory.Settings["Logging:LogLevel:Default"] = "Trace";
    }

    public VideoGenFactory Factory { get; }

    public HttpClient Http { get; private set; } = null!;

    /// <summary>An ordinary queued video, for routes that take an id.</summary>
    public string VideoId { get; private set; } = "";

    public IReadOnlyCollection<string> Logs => _logs.Lines;

    public async ValueTask InitializeAsync()
    {
        Http = Factory.CreateClient();
        VideoId = (await Http.CreateVideoAsync("an ordinary fox")).GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
    }
}
