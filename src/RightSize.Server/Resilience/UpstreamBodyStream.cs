namespace RightSize.Server.Resilience;

/// <summary>
/// A read-only view of an upstream response body that turns a failing read into an attempt
/// failure the gateway can act on (<see cref="GuardedStream"/>: a cut or a timeout;
/// <c>DecodedStream</c>: bytes that do not decode). Both share what happens then: the failure is
/// recorded in the <see cref="StreamGuard"/>; a held answer's read fails, so the forwarder tries the
/// next tier; an event stream ends, and the gateway sends its error event and cuts the connection.
/// </summary>
internal abstract class UpstreamBodyStream(Stream inner, StreamGuard guard, bool eventStream) : Stream
{
    protected Stream Inner { get; } = inner;

    protected StreamGuard Guard { get; } = guard;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Reads from <see cref="Inner"/>, turning the failures this stream watches for into <see cref="Fail"/>.</summary>
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Upstream bodies are read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>
    /// Records <paramref name="failure"/> (unless one is recorded already) and ends the body: 0, the
    /// end of an event stream; for any other body <paramref name="error"/> is rethrown, so the copy
    /// of a held answer fails.
    /// </summary>
    protected int Fail(string failure, Exception error)
    {
        if (Guard.Failure is null)
        {
            Guard.Failure = failure;
            Guard.FailureCause = error;
        }

        if (!eventStream) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
