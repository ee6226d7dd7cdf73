namespace VideoGen.Core.Media;

/// <summary>Media key layout and the rule every key obeys (relative, safe characters, no "..").</summary>
public static class MediaKeys
{
    public static string Video(string videoId) => $"videos/{SafeSegment(videoId)}.mp4";

    public static string Poster(string videoId) => $"posters/{SafeSegment(videoId)}.jpg";

    /// <summary>Throws unless <paramref name="key"/> is a relative path of [A-Za-z0-9._-] segments.</summary>
    /// <summary>Whether <paramref name="key"/> passes <see cref="EnsureSafe"/> (for listing files a key could name).</summary>
    public static bool IsSafe(string key)
    {
        try
        {
            EnsureSafe(key);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static void EnsureSafe(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512 || key[0] == '/')
        {
            throw new ArgumentException($"Invalid media key '{key}'.", nameof(key));
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == ".." || segment[0] == '.' || !segment.All(IsSafeChar))
            {
                throw new ArgumentException($"Invalid media key '{key}'.", nameof(key));
            }
        }
    }

    /// <summary>A video id as a file name; ids with other characters are refused rather than mangled into collisions.</summary>
    public static string SafeSegment(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 200 || id[0] == '.' || !id.All(IsSafeChar))
        {
            throw new ArgumentException($"Id '{id}' cannot be used as a media file name.", nameof(id));
        }
        return id;
    }

    private static bool IsSafeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
}
