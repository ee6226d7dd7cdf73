namespace VideoGen.Server.Cli;

/// <summary>The help text: verbs, their options, and the configuration keys.</summary>
public static class Usage
{
    public const string Text = """
        Usage: videogen <verb> [options]

        Verbs:
          serve      HTTP API + web page + in-process workers (default http://localhost:5080)
          worker     workers only, no HTTP listener (share the queue and database with a server)
          generate   ask a running server for a video: videogen generate "prompt" [options]
          migrate    apply database migrations and exit
          users      accounts: users add [--admin] EMAIL [--password P] | list | disable EMAIL | enable EMAIL
                     | reset-password EMAIL [--password P]   (no --password: one is generated and printed once)
                     | tier EMAIL TIER   (free, pro, one from VideoGen:Tiers, or default)

        serve / worker / migrate options (any configuration key works as --Key=value):
          --urls URL                          where to listen (serve), default http://localhost:5080
          --VideoGen:DataDir=PATH             SQLite files and media, default ./data
          --VideoGen:Queue:Backend=sqlite|redis   with redis: --ConnectionStrings:Redis=HOST:PORT
          --VideoGen:Database:Provider=sqlite|postgres   with postgres: --ConnectionStrings:Postgres=…
          --VideoGen:Workers:Enabled=true|false   run workers inside serve, default true
          --VideoGen:Workers:Concurrency=N    jobs at once per process, default 4
          --VideoGen:PublicBaseUrl=URL        the address others reach this server at
          --VideoGen:Accounts:SignUp=open|invite-only|closed   who may sign up, default invite-only
          (listening beyond loopback needs an account first: videogen users add --admin EMAIL)

        generate options:
          --model ID       model id (see GET /api/models), default local/preview
          --seed N         seed, 0..4294967295
          --param K=V      a model parameter, e.g. --param duration=6 (repeatable)
          --negative TEXT  negative prompt (models that take one)
          --image URL      image URL (image-to-video models)
          --wait           wait until the video finishes; print its status and file URL
          --timeout SECS   how long --wait waits, default 600
          --server URL     the server, default http://localhost:5080
          --api-key KEY    API key (default: environment variable VIDEOGEN_API_KEY); not needed in single-user mode
        """;

    public static int Fail(TextWriter error, string? message)
    {
        if (!string.IsNullOrEmpty(message))
        {
            error.WriteLine("error: " + message);
            error.WriteLine();
        }
        error.WriteLine(Text);
        return 2;
    }
}
