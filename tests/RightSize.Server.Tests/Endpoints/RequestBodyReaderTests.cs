using System.Text;
using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Buffers;
using RightSize.Server.Endpoints;

namespace RightSize.Server.Tests.Endpoints;

public class RequestBodyReaderTests
{
    private const int Limit = 1024;
    private static readonly TimeSpan BodyTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ReadAsync_DeclaredLengthOverLimit_Is413WithoutReading()
    {
        var body = new CountingStream(Limit + 1);
        var request = Request(body, contentLength: Limit + 1);
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        AssertTooLarge(error);
        Assert.Equal(0, body.Reads);
        Assert.Equal(0, output.Count);
    }

    [Fact]
    public async Task ReadAsync_BodyFillsItsBufferExactly_BufferNotGrown()
    {
        // A body at the limit, in a buffer of exactly its size: reading on to see the end would double it.
        var request = Request(new CountingStream(Limit, chunk: 256), contentLength: Limit);
        using var output = new PooledBuffer(Limit);
        var capacity = output.Array.Length;

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        Assert.Null(error);
        Assert.Equal(Limit, output.Count);
        Assert.Equal(capacity, output.Array.Length);
    }

    [Fact]
    public async Task ReadAsync_ChunkedBodyOverLimit_Is413()
    {
        var request = Request(new CountingStream(Limit + 1, chunk: 100), contentLength: null);
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        AssertTooLarge(error);
    }

    [Fact]
    public async Task ReadAsync_EndlessChunkedBody_StopsSoonAfterTheLimit()
    {
        var body = new CountingStream(long.MaxValue, chunk: 512);
        var request = Request(body, contentLength: null);
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        AssertTooLarge(error);
        Assert.True(body.Position <= Limit + 512, $"read {body.Position} bytes for a limit of {Limit}");
    }

    [Fact]
    public async Task ReadAsync_BodyExactlyAtLimit_IsReadWhole()
    {
        var json = "{\"model\":\"auto\",\"pad\":\"" + new string('x', Limit - 25) + "\"}";
        Assert.Equal(Limit, Encoding.UTF8.GetByteCount(json));
        var request = Request(new MemoryStream(Encoding.UTF8.GetBytes(json)), contentLength: null);
        using var output = new PooledBuffer(16);

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        Assert.Null(error);
        Assert.Equal(json, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthBodyInTinyReads_IsReadWhole()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"model\":\"auto\",\"messages\":[]}");
        var request = Request(new CountingStream(bytes, chunk: 3), contentLength: bytes.Length);
        using var output = new PooledBuffer(16);

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        Assert.Null(error);
        Assert.Equal(bytes, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public async Task ReadAsync_EmptyBody_Is400InvalidJson(long? contentLength)
    {
        var request = Request(new MemoryStream(), contentLength);
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        Assert.NotNull(error);
        Assert.Equal((400, OpenAIErrorCodes.InvalidJson), (error.StatusCode, error.Code));
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthBodyEndedEarly_Is499()
    {
        // What Kestrel throws when the client closes its side (a FIN) before the declared length arrived.
        var request = Request(new EndsEarlyStream(10), contentLength: 1000);
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        Assert.NotNull(error);
        Assert.Equal((499, OpenAIErrorCodes.ClientClosedRequest), (error.StatusCode, error.Code));
    }

    [Fact]
    public async Task ReadAsync_ChunkedBodyEndedEarlyOnAnAbortedRequest_Is499()
    {
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var request = Request(new EndsEarlyStream(10), contentLength: null);
        request.HttpContext.RequestAborted = aborted.Token;
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(request, Limit, BodyTimeout, Unbounded(), output, TestContext.Current.CancellationToken);

        Assert.NotNull(error);
        Assert.Equal((499, OpenAIErrorCodes.ClientClosedRequest), (error.StatusCode, error.Code));
    }

    [Fact]
    public async Task ReadAsync_DeclaredLength_TakesOnlyWhatHasArrived()
    {
        // Another request holds half the room: this body's declared length would not fit, but it is
        // taken as it arrives (a slow client declaring 4 MiB must not hold 4 MiB it has not sent),
        // so the first two chunks are read and the third finds no room.
        var budget = new RequestBodyBudget(Limit);
        using var other = budget.Open();
        Assert.True(other.TryHold(Limit / 2));
        using var lease = budget.Open();
        var body = new CountingStream(Limit, chunk: 256);
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(Request(body, contentLength: Limit), Limit, BodyTimeout, lease, output, TestContext.Current.CancellationToken);

        AssertBusy(error);
        Assert.Equal(768, output.Count);
        Assert.Equal(0, budget.Available); // 512 held by the other request, 512 by this one
    }

    [Fact]
    public async Task ReadAsync_BodyRead_HeldUntilTheLeaseIsDisposed()
    {
        var budget = new RequestBodyBudget(10 * Limit);
        using var output = new PooledBuffer();

        using (var lease = budget.Open())
        {
            var error = await RequestBodyReader.ReadAsync(Request(new CountingStream(Limit), contentLength: Limit), Limit, BodyTimeout, lease, output, TestContext.Current.CancellationToken);

            Assert.Null(error);
            Assert.Equal(9 * Limit, budget.Available);
        }

        Assert.Equal(10 * Limit, budget.Available);
    }

    [Fact]
    public async Task ReadAsync_ChunkedBodyPastTheRoomLeft_Is503()
    {
        const int limit = 1024 * 1024;
        var budget = new RequestBodyBudget(limit);
        using var other = budget.Open();
        Assert.True(other.TryHold(limit - (128 * 1024)));
        using var lease = budget.Open();
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(Request(new CountingStream(200 * 1024, chunk: 8 * 1024), contentLength: null), limit, BodyTimeout, lease, output, TestContext.Current.CancellationToken);

        AssertBusy(error);
        Assert.Equal(136 * 1024, output.Count); // the read that went past the room is the last
    }

    [Fact]
    public async Task ReadAsync_ChunkedBodyUnderALimitAsLargeAsTheBudget_Read()
    {
        // The validator lets MaxBufferedRequestBytes equal MaxRequestBodyBytes: such a body must fit.
        const int limit = 1_000_000;
        using var lease = new RequestBodyBudget(limit).Open();
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(Request(new CountingStream(990_000, chunk: 8 * 1024), contentLength: null), limit, BodyTimeout, lease, output, TestContext.Current.CancellationToken);

        Assert.Null(error);
        Assert.Equal(990_000, output.Count);
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthOverTheBudgetsSize_Is413NotARetry()
    {
        // A reload can raise MaxRequestBodyBytes past the budget read at start: such a body could never fit.
        using var lease = new RequestBodyBudget(Limit / 2).Open();
        var body = new CountingStream(Limit);
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(Request(body, contentLength: Limit), Limit, BodyTimeout, lease, output, TestContext.Current.CancellationToken);

        Assert.NotNull(error);
        Assert.Equal((413, OpenAIErrorCodes.RequestTooLarge), (error.StatusCode, error.Code));
        Assert.Equal(0, body.Reads);
    }

    private static RequestBodyBudget.Lease Unbounded() => new RequestBodyBudget(long.MaxValue).Open();

    private static void AssertBusy(OpenAIError? error)
    {
        Assert.NotNull(error);
        Assert.Equal((503, OpenAIErrorCodes.GatewayBusy), (error.StatusCode, error.Code));
        Assert.Contains("RightSize:Gateway:MaxBufferedRequestBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BodyStallsAfterMostOfItCame_Is408AndTheConnectionCloses()
    {
        // Kestrel's minimum data rate would let it hold its share of the budget for hours.
        var request = Request(new StallsAfterStream(Limit - 1), contentLength: Limit);
        using var output = new PooledBuffer();

        var error = await RequestBodyReader.ReadAsync(request, Limit, TimeSpan.FromMilliseconds(100), Unbounded(), output, TestContext.Current.CancellationToken);

        Assert.NotNull(error);
        Assert.Equal((408, OpenAIErrorCodes.RequestTimeout), (error.StatusCode, error.Code));
        Assert.Contains("RightSize:Gateway:RequestBodyTimeout", error.Message, StringComparison.Ordinal);
        Assert.Equal("close", request.HttpContext.Response.Headers.Connection.ToString());
    }

    private static HttpRequest Request(Stream body, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = contentLength;
        context.Request.Body = body;
        return context.Request;
    }

    private static void AssertTooLarge(OpenAIError? error)
    {
        Assert.NotNull(error);
        Assert.Equal((413, OpenAIErrorCodes.RequestTooLarge), (error.StatusCode, error.Code));
        Assert.Contains(Limit.ToString(), error.Message);
    }

    /// <summary>A forward-only body: subclasses say what one synchronous read gives.</summary>
    private abstract class ReadOnlyBody : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public abstract override int Read(Span<byte> buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A forward-only body that hands out at most <c>chunk</c> bytes a read and counts its reads.</summary>
    private sealed class CountingStream : ReadOnlyBody
    {
        private readonly byte[]? _content;
        private readonly long _length;
        private readonly int _chunk;

        public CountingStream(long length, int chunk = int.MaxValue)
        {
            _length = length;
            _chunk = chunk;
        }

        public CountingStream(byte[] content, int chunk)
            : this(content.Length, chunk)
        {
            _content = content;
        }

        public int Reads { get; private set; }

        public override long Position { get; set; }

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            var n = (int)Math.Min(Math.Min(buffer.Length, _chunk), _length - Position);
            if (_content is null) buffer[..n].Fill((byte)'x');
            else _content.AsSpan((int)Position, n).CopyTo(buffer);
            Position += n;
            return n;
        }
    }

    /// <summary>A body that hands out some bytes, then fails as Kestrel's does when the connection's input ends before the body's.</summary>
    /// <summary>Sends <paramref name="bytesFirst"/> bytes, then nothing until the read is cancelled.</summary>
    private sealed class StallsAfterStream(int bytesFirst) : ReadOnlyBody
    {
        private bool _sent;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                var n = Math.Min(buffer.Length, bytesFirst);
                buffer.Span[..n].Fill((byte)'x');
                return n;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }

    private sealed class EndsEarlyStream(int bytesBeforeTheEnd) : ReadOnlyBody
    {
        private bool _sent;

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            if (_sent) throw new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);
            _sent = true;
            var n = Math.Min(buffer.Length, bytesBeforeTheEnd);
            buffer[..n].Fill((byte)'x');
            return n;
        }
    }
}
