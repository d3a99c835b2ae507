namespace RightSize.Server.Resilience;

/// <summary>The read side of <see cref="GuardedContent"/>.</summary>
internal sealed class GuardedStream(Stream inner, StreamGuard guard, bool eventStream) : Stream
{
    private CancellationTokenSource? _linked;
    private CancellationToken _linkedFor;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (guard.Failure is not null) return 0;
        try
        {
            return await inner.ReadAsync(buffer, Combine(cancellationToken));
        }
        catch (Exception ex) when (!guard.ClientLeft && ex is IOException or OperationCanceledException)
        {
            guard.Failure = guard.FailureOfCutRead(cancellationToken);

            // A held answer fails in the forwarder, and the next tier is tried. An event stream ends
            // here as far as the forwarder is concerned; the gateway then sends the error event and
            // cuts the connection. A client that left gets nothing more either way.
            if (!eventStream) throw;
            return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Upstream bodies are read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _linked?.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The caller's token joined with the guard's stop token; built once per caller token (YARP reuses one for a whole copy).</summary>
    private CancellationToken Combine(CancellationToken cancellationToken)
    {
        if (!guard.Stop.CanBeCanceled) return cancellationToken;
        if (!cancellationToken.CanBeCanceled) return guard.Stop;
        if (_linked is null || _linkedFor != cancellationToken)
        {
            _linked?.Dispose();
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, guard.Stop);
            _linkedFor = cancellationToken;
        }

        return _linked.Token;
    }
}
