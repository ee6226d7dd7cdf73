namespace VideoGen.Server.Cli;

/// <summary>
/// What <c>videogen</c> exits with. Each non-zero code comes with a one-line message on standard error (and, with
/// <c>--json</c>, an <c>error</c> object on standard output). The table is printed by <c>videogen --help</c> and
/// documented in the README.
/// </summary>
public static class ExitCodes
{
    public const int Succeeded = 0;

    /// <summary>The video failed, or a command's operation was refused (e.g. <c>users</c> with an unknown email).</summary>
    public const int Failed = 1;

    public const int Usage = 2;

    /// <summary>The server or worker configuration is invalid (<see cref="ConfigurationError"/>).</summary>
    public const int Configuration = 3;

    public const int Canceled = 4;
    public const int Unreachable = 5;
    public const int NotFound = 6;
    public const int Unauthorized = 7;

    /// <summary>The server refused the request: invalid input, a conflict (e.g. deleting an unfinished video), a limit.</summary>
    public const int Refused = 8;

    /// <summary>The video did not finish within <c>--timeout</c>.</summary>
    public const int TimedOut = 9;

    public static IReadOnlyList<(int Code, string Meaning)> All { get; } =
    [
        (Succeeded, "succeeded (generate/watch: the video succeeded)"),
        (Failed, "the video failed, or the operation was refused (users)"),
        (Usage, "usage error: unknown verb or option, missing or bad argument"),
        (Configuration, "configuration error (serve, worker, migrate, users)"),
        (Canceled, "the video was canceled"),
        (Unreachable, "the server could not be reached or did not answer"),
        (NotFound, "no such video"),
        (Unauthorized, "not signed in (missing or wrong API key) or not allowed"),
        (Refused, "the server refused the request (invalid input, conflict, limit)"),
        (TimedOut, "the video did not finish within --timeout"),
    ];

    /// <summary>The table for help texts, one code a line.</summary>
    public static string Table => string.Join(Environment.NewLine, All.Select(e => $"  {e.Code}  {e.Meaning}"));
}
