namespace FakeFal.Storage;

/// <summary>
/// One file announced by an initiate call. Its bytes arrive with the PUT to its pre-signed upload URL (or as parts,
/// then a complete call, for a multipart upload); until then its file URL answers 404. Guarded by <see cref="Gate"/>.
/// </summary>
public sealed class StoredFile
{
    public required string Id { get; init; }

    /// <summary>The secret in the upload URL's query (what a pre-signed URL's signature is at fal).</summary>
    public required string Token { get; init; }

    public required string FileName { get; init; }

    /// <summary>Declared at initiate; the PUT's own <c>Content-Type</c> wins when it sends one.</summary>
    public required string ContentType { get; set; }

    public required bool Multipart { get; init; }

    public Lock Gate { get; } = new();

    /// <summary>The file's bytes once uploaded (or assembled); null before.</summary>
    public byte[]? Data { get; set; }

    /// <summary>Multipart parts received so far, by part number, with the etag each PUT answered.</summary>
    public SortedDictionary<int, (byte[] Bytes, string ETag)> Parts { get; } = [];
}
