using System.Globalization;
using System.Text.Json;
using VideoGen.Server.Apis;

namespace VideoGen.Server.Cli;

/// <summary>Parsed arguments of <c>videogen generate</c>; <see cref="Parse"/> reports the first problem in words.</summary>
public sealed record GenerateArgs
{
    public required string Prompt { get; init; }
    public string? Model { get; init; }
    public long? Seed { get; init; }
    public string? NegativePrompt { get; init; }
    public string? ImageUrl { get; init; }
    public Dictionary<string, string> Parameters { get; init; } = new(StringComparer.Ordinal);
    public bool Wait { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    public Uri Server { get; init; } = new("http://localhost:5080");

    /// <summary>The <c>POST /api/videos</c> body these arguments ask for; options not given stay null (and are not sent).</summary>
    public CreateVideoBody ToCreateVideoBody() => new(
        Prompt,
        Model,
        Seed,
        NegativePrompt,
        ImageUrl,
        Parameters.Count == 0 ? null : Parameters.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value), StringComparer.Ordinal));

    public static GenerateArgs? Parse(string[] args, out string? error)
    {
        error = null;
        string? prompt = null, model = null, negative = null, image = null;
        long? seed = null;
        var wait = false;
        var timeout = TimeSpan.FromMinutes(10);
        var server = new Uri("http://localhost:5080");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var eq = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            var name = eq > 0 ? arg[..eq] : arg;
            string? Value()
            {
                if (eq > 0)
                {
                    return arg[(eq + 1)..];
                }
                return i + 1 < args.Length ? args[++i] : null;
            }

            switch (name)
            {
                case "--wait":
                    wait = true;
                    continue;
                case "--model" or "--seed" or "--server" or "--param" or "--negative" or "--image" or "--timeout":
                    var value = Value();
                    if (value is null)
                    {
                        error = $"{name} needs a value.";
                        return null;
                    }
                    switch (name)
                    {
                        case "--model":
                            model = value;
                            break;
                        case "--negative":
                            negative = value;
                            break;
                        case "--image":
                            image = value;
                            break;
                        case "--seed":
                            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s > uint.MaxValue)
                            {
                                error = $"--seed must be a whole number from 0 to {uint.MaxValue} (got '{value}').";
                                return null;
                            }
                            seed = s;
                            break;
                        case "--timeout":
                            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var secs) || secs < 1)
                            {
                                error = $"--timeout must be a positive number of seconds (got '{value}').";
                                return null;
                            }
                            timeout = TimeSpan.FromSeconds(secs);
                            break;
                        case "--server":
                            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                            {
                                error = $"--server must be an http(s) URL like http://localhost:5080 (got '{value}').";
                                return null;
                            }
                            server = uri;
                            break;
                        default:
                            var kv = value.Split('=', 2);
                            if (kv.Length != 2 || kv[0].Length == 0)
                            {
                                error = $"--param takes NAME=VALUE (got '{value}').";
                                return null;
                            }
                            parameters[kv[0]] = kv[1];
                            break;
                    }
                    continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                error = $"Unknown option '{arg}'.";
                return null;
            }
            if (prompt is not null)
            {
                error = $"Only one prompt is allowed; quote it (\"a red fox …\"). Unexpected '{arg}'.";
                return null;
            }
            prompt = arg;
        }

        if (string.IsNullOrWhiteSpace(prompt))
        {
            error = "A prompt is required: videogen generate \"a red fox running through snow\".";
            return null;
        }
        return new GenerateArgs
        {
            Prompt = prompt,
            Model = model,
            Seed = seed,
            NegativePrompt = negative,
            ImageUrl = image,
            Parameters = parameters,
            Wait = wait,
            Timeout = timeout,
            Server = server,
        };
    }
}
