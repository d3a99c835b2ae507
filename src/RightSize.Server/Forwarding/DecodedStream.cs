using RightSize.Server.Resilience;

namespace RightSize.Server.Forwarding;

/// <summary>
/// The read side of <see cref="DecodedContent"/>. Bytes that do not decode are an upstream failure
/// (<c>upstream-error</c>), handled as <see cref="GuardedStream"/> handles a cut: an event stream
/// ends here, so the gateway can end the client's stream with its error event; any other body
/// fails the copy, so a body the gateway still holds lets the next tier answer. The gzip and zlib
/// decoders report such bytes with <see cref="InvalidDataException"/>, the Brotli decoder with
/// <see cref="InvalidOperationException"/> (its <see cref="InvalidDataException"/> is for a body
/// that ends too soon).
/// </summary>
internal sealed class DecodedStream(Stream decoder, StreamGuard guard, bool eventStream) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await decoder.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException && !guard.ClientLeft)
        {
            guard.Failure ??= AttemptFailures.UpstreamError;
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
        if (disposing) decoder.Dispose();
        base.Dispose(disposing);
    }
}
