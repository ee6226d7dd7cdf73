using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Media;
using VideoGen.Core.Providers;
using VideoGen.Core.Providers.Fal;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Media;

/// <summary>Every failure type, rendered as clients see it (GET one, the list, SSE share the DTO), carries nothing internal.</summary>
public sealed class PublicErrorTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    // What a failure's stored reason can hold today: exception text, resolved private addresses,
    // file paths, ffmpeg stderr, stack frames, host names.
    private const string Internals =
        "Gave up after 5 attempts: HttpRequestException: Connection refused (10.1.2.3:443); Refusing to connect to 'cdn.example': it resolves to 192.168.7.9 "
        + "/var/lib/videogen/data/media/.tmp/0123abcd.mp4 file:///etc/passwd [hls @ 0x55d41ec1e4c0] C:\\videogen\\data\\queue.db db-1.internal [fd00::1] localhost\n"
        + "   at System.Net.Http.HttpConnectionPool.ConnectAsync(HttpRequestMessage request)\n   at VideoGen.Core.Media.VideoIngestor.DownloadAsync()";

    private static readonly string[] Forbidden =
    [
        "10.1.2.3", "192.168.7.9", "/var/lib", "/etc/passwd", "file:", ".tmp", "0x55d41ec1e4c0", "queue.db", "db-1.internal", "fd00", "localhost",
        "Exception", "   at ", "System.Net", "VideoGen.Core",
    ];

    /// <summary>Every error type the pipeline, the providers and ingest produce, plus ones the server does not know.</summary>
    public static TheoryData<string> ErrorTypes()
    {
        var types = new TheoryData<string>();
        foreach (var t in PublicVideoError.KnownTypes.Concat(PublicVideoError.ProviderReasons).Concat(["provider_error", "http_500", "some_new_fal_type", NoType]).Distinct())
        {
            types.Add(t);
        }
        return types;
    }

    // Rows with an error and no type (canceled by the user, rows from older versions).
    private const string NoType = "(none)";

    [Fact]
    public void Catalog_CoversEveryDeclaredErrorType()
    {
        var declared = new[] { typeof(IngestErrorTypes), typeof(FalErrorTypes), typeof(ProviderErrorTypes) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(declared);
        Assert.All(declared, t => Assert.True(
            PublicVideoError.KnownTypes.Contains(t) || PublicVideoError.ProviderReasons.Contains(t),
            $"error type '{t}' has no public message"));
    }

    [Theory]
    [MemberData(nameof(ErrorTypes))]
    public async Task FailedVideo_PublicJson_HasNoPathsAddressesOrStackText(string errorType)
    {
        var id = await InsertFailedAsync(errorType == NoType ? null : errorType, Internals);

        using var one = await Http.GetAsync($"/api/videos/{id}");
        using var list = await Http.GetAsync("/api/videos?limit=100");

        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        foreach (var json in new[] { await one.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken) })
        {
            Assert.All(Forbidden, f => Assert.DoesNotContain(f, json, StringComparison.Ordinal));
        }
        var video = await one.JsonAsync();
        Assert.False(string.IsNullOrWhiteSpace(video.GetProperty("error").GetString()), "a failed video says why");
    }

    [Fact]
    public async Task ProviderValidationReason_IsShownToTheUser()
    {
        var id = await InsertFailedAsync(FalErrorTypes.Validation, "prompt: ensure this value has at most 2000 characters");

        var video = await Http.GetVideoAsync(id);

        Assert.Equal("validation_error", video.GetProperty("errorType").GetString());
        Assert.Equal("prompt: ensure this value has at most 2000 characters", video.GetProperty("error").GetString());
    }

    [Fact]
    public async Task IngestFailure_ShowsItsStableTypeAndFixedMessage()
    {
        var id = await InsertFailedAsync(IngestErrorTypes.Refused, "Refusing to connect to 'x': it resolves to 10.0.0.8, which is not a public address.");

        var video = await Http.GetVideoAsync(id);

        Assert.Equal("ingest_refused", video.GetProperty("errorType").GetString());
        Assert.Equal("The provider's result is at a location this server does not download from.", video.GetProperty("error").GetString());
    }

    private async Task<string> InsertFailedAsync(string? errorType, string error)
    {
        var id = Guid.NewGuid().ToString("N");
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = DateTimeOffset.UnixEpoch.AddDays(20000);
        db.Videos.Add(new Video
        {
            Id = id,
            Prompt = "a fox",
            Model = "local/preview",
            Status = VideoStatus.Failed,
            Error = error,
            ErrorType = errorType,
            LogsExcerpt = "Queued.",
            CreatedAt = now,
            UpdatedAt = now,
            CompletedAt = now,
        });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return id;
    }
}
