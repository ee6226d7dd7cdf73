using System.Net;

namespace VideoGen.Core.Providers.Fal;

/// <summary>
/// Wraps a submit's body and records whether the transport ever began writing it. A submit that failed before its
/// body was started cannot have created a request (fal's queue needs the whole JSON body to accept one), so it is
/// sent again as a fresh submit instead of counting as an unknown outcome (issue 11, path 6: narrow the window).
/// </summary>
internal sealed class SendTrackingContent : HttpContent
{
    private readonly HttpContent _inner;
    private int _started;

    public SendTrackingContent(HttpContent inner)
    {
        _inner = inner;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    /// <summary>True once the transport asked for the body's bytes.</summary>
    public bool Started => Volatile.Read(ref _started) == 1;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _started, 1);
        return _inner.CopyToAsync(stream, context, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
