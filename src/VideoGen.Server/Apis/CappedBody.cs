namespace VideoGen.Server.Apis;

/// <summary>
/// Reads a request body whole, but never more than a cap: a declared <c>Content-Length</c> over the cap is refused
/// before anything is read, and an undeclared (chunked) body is refused as soon as it passes the cap, so a client
/// cannot make the server buffer more than the cap whatever it sends.
/// </summary>
internal static class CappedBody
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>The whole body (empty when there is none), or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
