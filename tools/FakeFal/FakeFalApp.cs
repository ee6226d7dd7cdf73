using System.Text.Json;
using FakeFal.Apis;
using FakeFal.Faults;
using FakeFal.Media;
using FakeFal.Options;
using FakeFal.Queue;
using FakeFal.Stats;
using FakeFal.Storage;
using FakeFal.Webhooks;

namespace FakeFal;

/// <summary>
/// Composes the FakeFal web application. Kept apart from Program so tests can start the same
/// server in-process on a real Kestrel port (<c>--urls http://127.0.0.1:0</c>).
/// </summary>
public static class FakeFalApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddOptions<FakeFalOptions>()
            .BindConfiguration(FakeFalOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RuntimeSettings>();
        builder.Services.AddSingleton<FakeFalStats>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<VideoRenderer>();
        builder.Services.AddSingleton<WebhookKey>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddSingleton<RequestStore>();
        builder.Services.AddSingleton<FileStore>();
        builder.Services.AddSingleton<QueueEngine>();
        builder.Services.AddHostedService<RetentionSweeper>();
        builder.Services.AddHttpClient(WebhookSender.ClientName);

        var app = builder.Build();
        app.MapControlApi();
        app.MapJwksApi();
        app.MapFilesApi();
        app.MapStorageApi();
        app.MapRequestsByEndpointApi();
        app.MapQueueApi();
        return app;
    }
}
