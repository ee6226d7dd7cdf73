using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace VideoGen.Client;

/// <summary>
/// A typed client of a VideoGen server. Authenticates with an API key (sent as <c>Authorization: Bearer</c>) when one is
/// given; a single-user server on loopback needs none. Every refusal is a <see cref="VideoGenApiException"/> carrying the
/// server's problem details; an unreachable server is an <see cref="HttpRequestException"/>. Thread-safe.
/// </summary>
public sealed partial class VideoGenClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>A client of the server at <paramref name="server"/> (e.g. <c>http://localhost:5080</c>) with its own connection pool.</summary>
    public VideoGenClient(Uri server, string? apiKey = null)
        : this(new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan }, apiKey, ownsHttp: true)
    {
    }

    /// <summary>A client over <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> is the server; <paramref name="http"/> is not disposed with it.</summary>
    public VideoGenClient(HttpClient http, string? apiKey = null)
        : this(http, apiKey, ownsHttp: false)
    {
    }

    private VideoGenClient(HttpClient http, string? apiKey, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the server's URL.", nameof(http));
        }
        _http = http;
        _ownsHttp = ownsHttp;
        _authorization = string.IsNullOrWhiteSpace(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey.Trim());
    }

    /// <summary>The server's URL; file URLs of videos are relative to it.</summary>
    public Uri Server => _http.BaseAddress!;

    /// <summary>How long one request (not a stream or a download) may take before it is given up; default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The absolute URL of <paramref name="url"/>, which the server may give relative to itself.</summary>
    public Uri Resolve(string url) => new(Server, url);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private static JsonContent Json<T>(T body) => JsonContent.Create(body, options: ClientJson.Options);

    /// <summary>Sends <paramref name="request"/> within <see cref="RequestTimeout"/> and reads the JSON answer; a refusal throws.</summary>
    private async Task<T> SendAsync<T>(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using (request)
        {
            using var response = await SendOrTimeoutAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, ct);
            await EnsureSuccessAsync(response, ct);
            return await response.Content.ReadFromJsonAsync<T>(ClientJson.Options, timeout.Token)
                ?? throw new VideoGenApiException(response.StatusCode, new ApiProblem { Title = "Empty answer", Detail = $"{request.RequestUri} answered with no body." });
        }
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        using (request)
        {
            using var response = await SendOrTimeoutAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token, ct);
            await EnsureSuccessAsync(response, ct);
        }
    }

    /// <summary>Sends; a timeout (not the caller's cancellation) becomes a <see cref="TimeoutException"/>.</summary>
    private async Task<HttpResponseMessage> SendOrTimeoutAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken token, CancellationToken callerToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, token);
        }
        catch (OperationCanceledException e) when (!callerToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The server at {Server} did not answer {request.Method} {request.RequestUri} in time.", e);
        }
    }

    /// <summary>Throws a <see cref="VideoGenApiException"/> with the server's problem details unless the answer is a success.</summary>
    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        ApiProblem? problem = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!string.IsNullOrWhiteSpace(text))
            {
                problem = JsonSerializer.Deserialize<ApiProblem>(text, ClientJson.Options);
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's HTML page, say): the status alone says what happened.
        }
        problem ??= new ApiProblem();
        if (string.IsNullOrWhiteSpace(problem.Title))
        {
            problem = problem with { Title = response.ReasonPhrase ?? response.StatusCode.ToString() };
        }
        throw new VideoGenApiException(response.StatusCode, problem with { Status = problem.Status ?? (int)response.StatusCode });
    }

    private static string Escape(string id) => Uri.EscapeDataString(id);
}
