using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Server.Tests.EndToEnd;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Accounts;

/// <summary>
/// Who may call what, as a table: each row is one route (method + pattern) with the status each caller gets. Someone
/// else's video, media file, upload, event stream or key is 404 (never 403); the admin API is 403 for users; anonymous
/// callers get 401 everywhere but the public routes. <see cref="EveryMappedRoute_HasARow"/> fails when a new route
/// has no row, so adding an endpoint means deciding who may call it here.
/// </summary>
public sealed class IsolationMatrixTests(IsolationFixture f) : IClassFixture<IsolationFixture>
{
    /// <summary>Statuses in the order OwnerA, OtherB, Anonymous, Admin; 0 = not called (it would change what other rows rely on).</summary>
    public sealed record Row(string Method, string Route, Func<IsolationFixture, HttpRequestMessage> Request, int A, int B, int Anonymous, int Admin);

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Send(HttpMethod method, string path, object? body = null) => new(method, path)
    {
        Content = body is null ? null : new StringContent(IsolationFixture.Json(body), Encoding.UTF8, "application/json"),
    };

    public static readonly Dictionary<string, Row> Rows = new()
    {
        // Public.
        ["health live"] = new("*", "/health/live", _ => Get("/health/live"), 200, 200, 200, 200),
        ["health ready"] = new("*", "/health/ready", _ => Get("/health/ready"), 200, 200, 200, 200),
        ["OpenAPI document"] = new("GET", "/openapi/{documentName}.json", _ => Get("/openapi/v1.json"), 200, 200, 200, 200),
        ["API reference"] = new("GET", "/docs/{documentName?}", _ => Get("/docs/"), 200, 200, 200, 200),
        ["API reference script"] = new("GET", "/docs/scalar.js", _ => Get("/docs/scalar.js"), 200, 200, 200, 200),
        ["API reference loader"] = new("GET", "/docs/scalar.aspnetcore.js", _ => Get("/docs/scalar.aspnetcore.js"), 200, 200, 200, 200),
        ["API reference icon"] = new("GET", "/docs/favicon.svg", _ => Get("/docs/favicon.svg"), 200, 200, 200, 200),
        ["account me"] = new("GET", "/api/account/me", _ => Get("/api/account/me"), 200, 200, 200, 200),
        ["sign up (invalid)"] = new("POST", "/api/account/signup", _ => Send(HttpMethod.Post, "/api/account/signup", new { email = "", password = "" }), 400, 400, 400, 400),
        ["sign in (wrong password)"] = new("POST", "/api/account/signin", _ => Send(HttpMethod.Post, "/api/account/signin", new { email = "nobody@example.com", password = "wrong password" }), 401, 401, 401, 401),
        ["sign out"] = new("POST", "/api/account/signout", _ => Send(HttpMethod.Post, "/api/account/signout"), 0, 204, 204, 204),

        // Own account.
        ["change password (wrong current)"] = new("POST", "/api/account/password", _ => Send(HttpMethod.Post, "/api/account/password", new { currentPassword = "not it at all", newPassword = "another long password" }), 400, 400, 401, 400),
        ["list keys"] = new("GET", "/api/account/keys/", _ => Get("/api/account/keys"), 200, 200, 401, 200),
        ["create key"] = new("POST", "/api/account/keys/", _ => Send(HttpMethod.Post, "/api/account/keys", new { name = "matrix" }), 201, 201, 401, 201),
        ["revoke A's key"] = new("DELETE", "/api/account/keys/{id}", x => Send(HttpMethod.Delete, $"/api/account/keys/{x.SpareKeyId}"), 204, 404, 401, 404),

        // Videos.
        ["create video"] = new("POST", "/api/videos/", _ => Send(HttpMethod.Post, "/api/videos", new { prompt = "a matrix fox" }), 202, 202, 401, 202),
        ["list videos"] = new("GET", "/api/videos/", _ => Get("/api/videos"), 200, 200, 401, 200),
        ["list videos (filtered)"] = new("GET", "/api/videos/", _ => Get("/api/videos?status=succeeded,failed&q=fox"), 200, 200, 401, 200),
        ["list videos (unknown status)"] = new("GET", "/api/videos/", _ => Get("/api/videos?status=done"), 400, 400, 401, 400),
        ["estimate"] = new("POST", "/api/videos/estimate", _ => Send(HttpMethod.Post, "/api/videos/estimate", new { model = "local/preview", parameters = new { duration = 6 } }), 200, 200, 401, 200),
        ["get A's video"] = new("GET", "/api/videos/{id}", x => Get($"/api/videos/{x.VideoId}"), 200, 404, 401, 200),
        ["cancel A's (finished) video"] = new("POST", "/api/videos/{id}/cancel", x => Send(HttpMethod.Post, $"/api/videos/{x.VideoId}/cancel"), 409, 404, 401, 409),
        ["retry A's (succeeded) video"] = new("POST", "/api/videos/{id}/retry", x => Send(HttpMethod.Post, $"/api/videos/{x.VideoId}/retry"), 409, 404, 401, 409),
        // Only others try it: the owner's and an admin's delete would remove the video the other rows read (204 is in HousekeepingTests).
        ["delete A's video"] = new("DELETE", "/api/videos/{id}", x => Send(HttpMethod.Delete, $"/api/videos/{x.VideoId}"), 0, 404, 401, 0),
        // An admin's list stream carries everyone's changes; B's carries only B's (VideoEventStreamOwnerTests).
        ["video events of all visible videos (SSE)"] = new("GET", "/api/videos/events", _ => Get("/api/videos/events"), 200, 200, 401, 200),
        ["A's video events (SSE)"] = new("GET", "/api/videos/{id}/events", x => Get($"/api/videos/{x.VideoId}/events"), 200, 404, 401, 200),
        ["models"] = new("GET", "/api/models", _ => Get("/api/models"), 200, 200, 401, 200),

        // Media and uploads.
        ["A's video file"] = new("GET", "/media/{**key}", x => Get($"/media/videos/{x.VideoId}.mp4"), 200, 404, 401, 200),
        ["A's video file (HEAD)"] = new("HEAD", "/media/{**key}", x => new HttpRequestMessage(HttpMethod.Head, $"/media/videos/{x.VideoId}.mp4"), 200, 404, 401, 200),
        ["A's poster"] = new("GET", "/media/{**key}", x => Get($"/media/posters/{x.VideoId}.jpg"), 200, 404, 401, 200),
        ["A's upload"] = new("GET", "/media/{**key}", x => Get(x.UploadPath), 200, 404, 401, 200),
        ["upload"] = new("POST", "/api/uploads", _ => new HttpRequestMessage(HttpMethod.Post, "/api/uploads") { Content = UploadSamples.Form(UploadSamples.Png, "image/png") }, 201, 201, 401, 201),

        // Admin.
        ["admin queue"] = new("GET", "/api/admin/queues/{name}", x => Get($"/api/admin/queues/{x.QueueName}"), 403, 403, 401, 200),
        ["admin jobs"] = new("GET", "/api/admin/queues/{name}/jobs", x => Get($"/api/admin/queues/{x.QueueName}/jobs?state=waiting"), 403, 403, 401, 200),
        ["admin job"] = new("GET", "/api/admin/queues/{name}/jobs/{id}", x => Get($"/api/admin/queues/{x.QueueName}/jobs/{x.VideoId}"), 403, 403, 401, 200),
        ["admin retry (waiting job)"] = new("POST", "/api/admin/queues/{name}/jobs/{id}/retry", x => Send(HttpMethod.Post, $"/api/admin/queues/{x.QueueName}/jobs/{x.VideoId}/retry"), 403, 403, 401, 409),
        ["admin remove (no such job)"] = new("DELETE", "/api/admin/queues/{name}/jobs/{id}", x => Send(HttpMethod.Delete, $"/api/admin/queues/{x.QueueName}/jobs/no-such-job"), 403, 403, 401, 404),
        ["admin pause"] = new("POST", "/api/admin/queues/{name}/pause", x => Send(HttpMethod.Post, $"/api/admin/queues/{x.QueueName}/pause"), 403, 403, 401, 200),
        ["admin resume"] = new("POST", "/api/admin/queues/{name}/resume", x => Send(HttpMethod.Post, $"/api/admin/queues/{x.QueueName}/resume"), 403, 403, 401, 200),
        ["admin workers"] = new("GET", "/api/admin/workers", _ => Get("/api/admin/workers"), 403, 403, 401, 200),
        // No fal key in this fixture, so fal has no limits here: an admin gets 404 (the 200s are in ProviderLimitsApiTests).
        ["admin provider limits"] = new("GET", "/api/admin/providers/{provider}/limits", _ => Get("/api/admin/providers/fal/limits"), 403, 403, 401, 404),
        ["admin set provider limits"] = new("PUT", "/api/admin/providers/{provider}/limits", _ => Send(HttpMethod.Put, "/api/admin/providers/fal/limits", new { maxConcurrent = 3 }), 403, 403, 401, 404),
        ["admin reset provider limits"] = new("DELETE", "/api/admin/providers/{provider}/limits", _ => Send(HttpMethod.Delete, "/api/admin/providers/fal/limits"), 403, 403, 401, 404),
        ["create invitation"] = new("POST", "/api/admin/invitations/", _ => Send(HttpMethod.Post, "/api/admin/invitations", new { email = "c@example.com" }), 403, 403, 401, 201),
        ["admin users"] = new("GET", "/api/admin/users", _ => Get("/api/admin/users"), 403, 403, 401, 200),
        ["admin user A"] = new("GET", "/api/admin/users/{id}", x => Get($"/api/admin/users/{x.UserAId}"), 403, 403, 401, 200),
        ["admin set A's limits"] = new("PUT", "/api/admin/users/{id}/limits", x => Send(HttpMethod.Put, $"/api/admin/users/{x.UserAId}/limits", new { tier = "free" }), 403, 403, 401, 200),
        ["admin priority of A's (finished) video"] = new("POST", "/api/admin/videos/{id}/priority", x => Send(HttpMethod.Post, $"/api/admin/videos/{x.VideoId}/priority", new { priority = 5 }), 403, 403, 401, 409),
        ["list invitations"] = new("GET", "/api/admin/invitations/", _ => Get("/api/admin/invitations"), 403, 403, 401, 200),
    };

    public static TheoryData<string> RowNames => new(Rows.Keys);

    [Theory]
    [MemberData(nameof(RowNames))]
    public async Task Route_AnswersEachCallerAsTheTableSays(string row)
    {
        var r = Rows[row];
        var expected = new Dictionary<Caller, int> { [Caller.OwnerA] = r.A, [Caller.OtherB] = r.B, [Caller.Anonymous] = r.Anonymous, [Caller.Admin] = r.Admin };
        var actual = new Dictionary<Caller, int>();
        foreach (var (caller, status) in expected)
        {
            if (status == 0)
            {
                continue;
            }
            using var request = r.Request(f);
            // Headers only: an event stream (the list-wide one) never ends by itself.
            using var response = await f.Clients[caller].SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            actual[caller] = (int)response.StatusCode;
        }
        var want = string.Join(", ", expected.Where(e => e.Value != 0).Select(e => $"{e.Key}={e.Value}"));
        var got = string.Join(", ", actual.Select(e => $"{e.Key}={e.Value}"));
        Assert.Equal(want, got);
    }

    [Fact]
    public void EveryMappedRoute_HasARow()
    {
        var mapped = f.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet();
        var covered = Rows.Values.Select(r => $"{r.Method} {r.Route}").ToHashSet();

        Assert.Empty(mapped.Except(covered).Order());
    }

    [Fact]
    public async Task VideoList_ShowsOwnVideosToUsersAndEveryoneElsesToAdmins()
    {
        async Task<bool> Lists(Caller caller)
        {
            using var response = await f.Clients[caller].GetAsync("/api/videos?limit=100");
            var items = (await response.JsonAsync()).GetProperty("items").EnumerateArray();
            return items.Any(v => v.GetProperty("id").GetString() == f.VideoId);
        }

        Assert.True(await Lists(Caller.OwnerA));
        Assert.False(await Lists(Caller.OtherB));
        Assert.True(await Lists(Caller.Admin));
    }

    [Fact]
    public async Task CookieMutation_WithoutAntiforgeryToken_IsRefused()
    {
        using var a = await f.Factory.SignedInClientAsync("a@example.com");
        a.DefaultRequestHeaders.Remove("X-CSRF-Token");

        using var response = await a.PostJsonAsync("/api/videos", IsolationFixture.Json(new { prompt = "forged" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", (await response.JsonAsync()).GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}
