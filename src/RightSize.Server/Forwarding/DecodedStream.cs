using RightSize.Server.Resilience;

namespace RightSize.Server.Forwarding;

/// <summary>
/// The read side of <see cref="DecodedContent"/>. Bytes that do not decode are an upstream failure
/// (<c>upstream-error</c>), handled as <see cref="UpstreamBodyStream"/> handles every such failure.
/// The gzip and zlib decoders report such bytes with <see cref="InvalidDataException"/>, the Brotli decoder with
/// <see cref="InvalidOperationException"/> (its <see cref="InvalidDataException"/> is for a body
/// that ends too soon).
/// </summary>
internal sealed class DecodedStream(Stream decoder, StreamGuard guard, bool eventStream) : UpstreamBodyStream(decoder, guard, eventStream)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Guard.Failure is not null) return 0; // as GuardedStream: no more once the attempt failed
        try
        {
            return await Inner.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException && !Guard.ClientLeft)
        {
            return Fail(AttemptFailures.UpstreamError, ex);
        }
    }
}
