using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace VideoGen.Core.Models;

/// <summary>
/// The relative URL <c>POST /api/uploads</c> hands out for an image kept in our media store,
/// <c>/media/uploads/{32 lowercase hex}.{png|jpg|webp}</c>, and the media key behind it
/// (<c>uploads/{hex}.{ext}</c>). Only this exact shape is accepted as a relative <c>imageUrl</c>:
/// it names one of our own files and nothing else (no other folder, no "..", no query).
/// A provider that cannot fetch it (no <c>VideoGen:PublicBaseUrl</c>) gets the bytes another way.
/// </summary>
public static partial class UploadedImageUrl
{
    /// <summary>Where uploads are served (the media route plus the uploads folder).</summary>
    public const string PathPrefix = "/media/uploads/";

    /// <summary>True when <paramref name="url"/> is exactly one of our upload URLs; <paramref name="mediaKey"/> is then its media key.</summary>
    public static bool TryParse(string? url, [NotNullWhen(true)] out string? mediaKey)
    {
        if (url is not null && Shape().IsMatch(url))
        {
            mediaKey = url[(PathPrefix.Length - "uploads/".Length)..];
            return true;
        }

        mediaKey = null;
        return false;
    }

    /// <summary>The content type of an upload's media key, from its extension (the upload checked the bytes).</summary>
    public static string ContentTypeOf(string mediaKey) => Path.GetExtension(mediaKey) switch
    {
        ".png" => "image/png",
        ".jpg" => "image/jpeg",
        ".webp" => "image/webp",
        _ => "application/octet-stream",
    };

    [GeneratedRegex(@"\A/media/uploads/[0-9a-f]{32}\.(?:png|jpg|webp)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
