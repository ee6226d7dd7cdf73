using System.Text.Json;
using System.Text.Json.Nodes;

namespace VideoGen.Core.Tests.Fal;

/// <summary>
/// One FakeFal process per test class (<see cref="FakeFalProcess"/>) with short queue times and a
/// media folder of its own. The dll must be built (the test script builds the solution); a missing
/// dll fails the tests, never skips them.
/// </summary>
public sealed class FakeFalServer : IAsyncLifetime
{
    private readonly TempDir _mediaDir = new("videogen-fal-tests-media");
    private FakeFalProcess? _fakeFal;

    private FakeFalProcess FakeFal => _fakeFal ?? throw new InvalidOperationException("FakeFal is not started.");

    public Uri BaseUrl => FakeFal.BaseUrl;

    public HttpClient Control => FakeFal.Control;

    public string Output => FakeFal.Process.Output;

    public async ValueTask InitializeAsync() =>
        _fakeFal = await FakeFalProcess.StartAsync(
            ("Queue:QueueDelay", "00:00:00.200"),
            ("Queue:InProgress", "00:00:01"),
            ("Queue:LogInterval", "00:00:00.200"),
            ("Media:Directory", _mediaDir.Path));

    /// <summary>Back to the start options, then <paramref name="config"/> (camelCase, deep-merged) when given.</summary>
    public async Task ResetAsync(object? config = null)
    {
        await FakeFal.ResetAsync();
        if (config is not null)
        {
            await FakeFal.ConfigureAsync(JsonSerializer.Serialize(config, JsonSerializerOptions.Web));
        }
    }

    public async Task<JsonObject> StatsAsync() =>
        JsonNode.Parse((await FakeFal.StatsAsync()).GetRawText())!.AsObject();

    public Task ExpireAsync(string requestId) => FakeFal.ExpireAsync(requestId);

    public async ValueTask DisposeAsync()
    {
        if (_fakeFal is not null)
        {
            await _fakeFal.DisposeAsync();
        }

        _mediaDir.Dispose();
    }
}
