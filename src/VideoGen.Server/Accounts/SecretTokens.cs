using System.Security.Cryptography;
using System.Text;

namespace VideoGen.Server.Accounts;

/// <summary>
/// Random secrets handed out once (API keys, invitation codes, generated passwords) and the hash that is stored
/// instead. The secrets carry 256 random bits, so SHA-256 is enough to store them: there is nothing to guess.
/// </summary>
public static class SecretTokens
{
    public const string ApiKeyPrefix = "vg_";

    /// <summary>Characters of an API key kept in clear to tell keys apart (<c>vg_</c> + 8).</summary>
    public const int DisplayPrefixLength = 11;

    public static string NewApiKey() => ApiKeyPrefix + NewCode();

    /// <summary>43 URL-safe characters (256 bits).</summary>
    public static string NewCode() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A generated password: 24 URL-safe characters (144 bits).</summary>
    public static string NewPassword() => Base64Url(RandomNumberGenerator.GetBytes(18));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
