using Microsoft.AspNetCore.Http;
using VideoGen.Server.Apis;

namespace VideoGen.Server.Tests.Api;

/// <summary>The one capped body reader behind JSON bodies and fal webhooks: whole bodies up to the cap, nothing beyond it.</summary>
public sealed class CappedBodyTests
{
    [Fact]
    public async Task Read_BodyOfExactlyTheCap_ReturnsItWhole()
    {
        var body = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();

        var read = await CappedBody.ReadAsync(Request(body), body.Length, TestContext.Current.CancellationToken);

        Assert.Equal(body, read);
    }

    [Fact]
    public async Task Read_EmptyBody_ReturnsEmpty()
    {
        var read = await CappedBody.ReadAsync(Request([]), 10, TestContext.Current.CancellationToken);

        Assert.Equal(Array.Empty<byte>(), read);
    }

    [Fact]
    public async Task Read_UndeclaredBodyOneByteOverTheCap_IsRefused()
    {
        var read = await CappedBody.ReadAsync(Request(new byte[40_001]), 40_000, TestContext.Current.CancellationToken);

        Assert.Null(read);
    }

    [Fact]
    public async Task Read_DeclaredLengthOverTheCap_IsRefusedWithoutReading()
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new UnreadableStream();
        request.ContentLength = 11;

        var read = await CappedBody.ReadAsync(request, 10, TestContext.Current.CancellationToken);

        Assert.Null(read);
    }

    /// <summary>A request whose body length is not declared (as with chunked transfer).</summary>
    private static HttpRequest Request(byte[] body)
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new MemoryStream(body);
        return request;
    }

    private sealed class UnreadableStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("The body was read.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The body was read.");
    }
}
