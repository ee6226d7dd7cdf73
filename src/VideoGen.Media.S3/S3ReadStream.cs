using Amazon.S3;
using Amazon.S3.Model;
using VideoGen.Core.Media;

namespace VideoGen.Media.S3;

/// <summary>
/// A seekable, read-only view of one object version. Nothing is fetched until the first read; a
/// read fetches from the current position to the end and keeps that response while reads stay
/// sequential, so a range request (seek, then read N bytes) costs one ranged GET. Every GET names
/// the ETag seen when the object was opened: if the object is replaced meanwhile, the read fails
/// instead of mixing two versions. Asynchronous reads only.
/// </summary>
internal sealed class S3ReadStream(IAmazonS3 s3, string bucket, string key, MediaObjectInfo info) : Stream
{
    private GetObjectResponse? _response;
    private Stream? _body;
    private long _bodyPosition = -1;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => info.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => info.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || _position >= info.Length)
        {
            return 0;
        }
        if (_body is null || _bodyPosition != _position)
        {
            await CloseBodyAsync().ConfigureAwait(false);
            _response = await s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket,
                Key = key,
                ByteRange = new ByteRange(_position, info.Length - 1),
                EtagToMatch = info.ETag,
            }, cancellationToken).ConfigureAwait(false);
            _body = _response.ResponseStream;
            _bodyPosition = _position;
        }
        var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException($"The object store ended the read of '{key}' at byte {_position} of {info.Length}.");
        }
        _position += read;
        _bodyPosition = _position;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("An object store stream is read asynchronously.");

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await CloseBodyAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body?.Dispose();
            _response?.Dispose();
            _body = null;
            _response = null;
        }
        base.Dispose(disposing);
    }

    private async ValueTask CloseBodyAsync()
    {
        if (_body is not null)
        {
            await _body.DisposeAsync().ConfigureAwait(false);
        }
        _response?.Dispose();
        _body = null;
        _response = null;
        _bodyPosition = -1;
    }
}
