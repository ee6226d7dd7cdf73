using System.Net;

namespace VideoGen.Client;

/// <summary>
/// The server refused a request: its HTTP status and the problem details it sent (a bare status gets a problem made
/// from it). A server that cannot be reached surfaces as <see cref="HttpRequestException"/> instead.
/// </summary>
public sealed class VideoGenApiException : Exception
{
    public VideoGenApiException(HttpStatusCode statusCode, ApiProblem problem)
        : base($"{(int)statusCode} {problem.Describe()}")
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    public VideoGenApiException()
        : this(HttpStatusCode.InternalServerError, new ApiProblem())
    {
    }

    public VideoGenApiException(string message)
        : base(message)
    {
        Problem = new ApiProblem { Title = message };
    }

    public VideoGenApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = new ApiProblem { Title = message };
    }

    public HttpStatusCode StatusCode { get; }

    public ApiProblem Problem { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>No caller (401) or not allowed (403).</summary>
    public bool IsUnauthorized => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
