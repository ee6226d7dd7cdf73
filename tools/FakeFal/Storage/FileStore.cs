using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace FakeFal.Storage;

/// <summary>Files uploaded through the storage API, by id, in memory (forgotten on reset or restart).</summary>
public sealed class FileStore
{
    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.Ordinal);

    public StoredFile Create(string contentType, string fileName, bool multipart)
    {
        var file = new StoredFile
        {
            Id = Guid.NewGuid().ToString("N"),
            Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ContentType = contentType,
            FileName = fileName,
            Multipart = multipart,
        };
        _files[file.Id] = file;
        return file;
    }

    public StoredFile? Find(string id) => _files.GetValueOrDefault(id);

    /// <summary>The file when <paramref name="token"/> is its upload token (compared in constant time); null otherwise.</summary>
    public StoredFile? FindForUpload(string id, string? token)
    {
        var file = Find(id);
        return file is not null && token is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(file.Token), Encoding.ASCII.GetBytes(token))
            ? file
            : null;
    }

    /// <summary>Files whose bytes have arrived.</summary>
    public int UploadedCount => _files.Values.Count(f => f.Data is not null);

    public void Clear() => _files.Clear();
}
