using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VideoGen.Core.Pipeline;

/// <summary>
/// The token a provider webhook URL carries: HMAC-SHA256 of the video id under a server secret, base64url. A
/// provider signs every customer's callbacks with the same keys, so the signature alone does not say the callback is
/// meant for this server's video; the token does — only a URL we handed out names a video with a valid token.
/// The secret is <see cref="WebhookOptions.Secret"/>, or else 32 random bytes generated once into a file
/// (owner-only) that every process sharing the data folder reads.
/// </summary>
public sealed class WebhookTokens
{
    private const int GeneratedSecretBytes = 32;
    private readonly Lazy<byte[]> _key;

    public WebhookTokens(IOptions<WebhookOptions> options, string secretFile)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretFile);
        var configured = options.Value.Secret;
        _key = new Lazy<byte[]>(
            () => configured is { Length: > 0 } ? Encoding.UTF8.GetBytes(configured) : LoadOrCreate(secretFile),
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The token for <paramref name="videoId"/>'s webhook URL.</summary>
    public string TokenFor(string videoId) => Base64Url.EncodeToString(Mac(videoId));

    /// <summary>True only when <paramref name="token"/> is the token of <paramref name="videoId"/> (compared in constant time).</summary>
    public bool IsValid(string? videoId, string? token)
    {
        if (string.IsNullOrEmpty(videoId) || string.IsNullOrEmpty(token) || token.Length > 64 || !Base64Url.IsValid(token))
        {
            return false;
        }

        var given = Base64Url.DecodeFromChars(token);
        return CryptographicOperations.FixedTimeEquals(given, Mac(videoId));
    }

    private byte[] Mac(string videoId) => HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(videoId));

    private static byte[] LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(temp, Encoding.ASCII, fileOptions))
            {
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedSecretBytes)));
            }
            try
            {
                // Fails when another process got there first; then its secret is the one everybody uses.
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temp);
            }
        }

        var text = File.ReadAllText(path, Encoding.ASCII).Trim();
        var secret = Convert.FromBase64String(text);
        if (secret.Length < GeneratedSecretBytes)
        {
            throw new InvalidOperationException("The webhook secret file in DataDir is too short; delete it to generate a new one.");
        }
        return secret;
    }
}
