using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VideoGen.Core.Videos;
using VideoGen.Server.Data;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Api;

/// <summary>
/// <c>GET /api/videos?status=…&amp;q=…</c>: the filters narrow the list on the server, combine with cursor paging, and
/// bad values are 400 problems naming the field. Workers are off, so each video stays where the test put it.
/// </summary>
public sealed class VideoListFilterTests() : VideoGenHostTests(new VideoGenFactory { WorkersEnabled = false })
{
    private async Task<string> CreateAsync(string prompt) => (await Http.CreateVideoAsync(prompt)).GetProperty("id").GetString()!;

    private async Task<(string[] Ids, string? Next)> ListAsync(string query)
    {
        using var response = await Http.GetAsync($"/api/videos?{query}");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/videos?{query} answered {(int)response.StatusCode}: {text}");
        var page = JsonDocument.Parse(text).RootElement;
        var ids = page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetString()!).ToArray();
        return (ids, page.GetProperty("nextCursor").GetString());
    }

    private async Task SetStatusAsync(string id, VideoStatus status)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Videos.Where(v => v.Id == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, status), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task List_ByStatus_ReturnsOnlyVideosInThoseStatuses_NewestFirst()
    {
        var queued = await CreateAsync("first");
        var canceled = await CreateAsync("second");
        var failed = await CreateAsync("third");
        using (await Http.PostAsync($"/api/videos/{canceled}/cancel"))
        {
        }
        await SetStatusAsync(failed, VideoStatus.Failed);

        Assert.Equal([canceled], (await ListAsync("status=canceled")).Ids);
        Assert.Equal([queued], (await ListAsync("status=queued")).Ids);
        Assert.Equal([failed, canceled], (await ListAsync("status=failed,canceled")).Ids);
        Assert.Equal([failed, canceled], (await ListAsync("status=%20failed%20,canceled,failed")).Ids);
        Assert.Equal([failed, canceled, queued], (await ListAsync("status=")).Ids);
    }

    [Fact]
    public async Task List_ByPromptText_IsACaseInsensitiveSubstring_WithWildcardsMatchingThemselves()
    {
        var fox = await CreateAsync("A Red Fox in the snow");
        await CreateAsync("a blue whale");
        var panda = await CreateAsync("red panda eating");
        var percent = await CreateAsync("100% cotton clouds");
        await CreateAsync("1000 cotton clouds");
        var underscore = await CreateAsync("snake_case river");
        await CreateAsync("snakeXcase river");

        Assert.Equal([panda, fox], (await ListAsync("q=RED")).Ids);
        Assert.Equal([fox], (await ListAsync("q=%20fox%20in%20")).Ids);
        Assert.Equal([percent], (await ListAsync("q=100%25")).Ids);
        Assert.Equal([underscore], (await ListAsync("q=e_c")).Ids);
        Assert.Empty((await ListAsync("q=giraffe")).Ids);
    }

    [Fact]
    public async Task List_FiltersCombineWithCursorPaging()
    {
        var foxes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            foxes.Add(await CreateAsync($"fox number {i}"));
            await CreateAsync($"owl number {i}");
        }
        await SetStatusAsync(foxes[2], VideoStatus.Failed);
        foxes.Reverse();

        var seen = new List<string>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var (ids, next) = await ListAsync($"limit=2&q=fox&status=queued{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(ids);
            Assert.True(ids.Length <= 2);
            if (next is null)
            {
                break;
            }
            cursor = next;
        }

        Assert.Equal(foxes.Where((_, i) => i != 2), seen);
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("status=queued,done", "status")]
    [InlineData("status=,,", "status")]
    [InlineData("status=QUEUED", "status")]
    public async Task List_UnknownStatus_Returns400NamingStatusAndTheKnownOnes(string query, string field)
    {
        using var response = await Http.GetAsync($"/api/videos?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = Assert.Single((await response.JsonAsync()).GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
        var known = string.Join(", ", Enum.GetValues<VideoStatus>().Select(s => s.ToWire()));
        Assert.Equal($"status must be one or more of {known}, separated by commas.", message);
        Assert.StartsWith("status must be one or more of queued, submitting, in_queue, generating, ingesting, succeeded, failed, canceled", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_SearchLongerThan200Characters_Returns400NamingQ()
    {
        using var response = await Http.GetAsync($"/api/videos?q={new string('a', 201)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = Assert.Single((await response.JsonAsync()).GetProperty("errors").GetProperty("q").EnumerateArray()).GetString();
        Assert.Equal("q must be at most 200 characters.", message);
    }
}
