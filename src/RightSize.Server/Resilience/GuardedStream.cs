namespace RightSize.Server.Resilience;

/// <summary>The read side of <see cref="GuardedContent"/>.</summary>
internal sealed class GuardedStream(Stream inner, StreamGuard guard, bool eventStream) : UpstreamBodyStream(inner, guard, eventStream)
{
    private CancellationTokenSource? _linked;
    private CancellationToken _linkedFor;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Guard.Failure is not null) return 0;
        try
        {
            return await Inner.ReadAsync(buffer, Combine(cancellationToken));
        }
        catch (Exception ex) when (!Guard.ClientLeft && ex is IOException or OperationCanceledException)
        {
            // A client that left gets nothing more either way, so its cancellation is no failure.
            return Fail(Guard.FailureOfCutRead(cancellationToken), ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _linked?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The caller's token joined with the guard's stop token; built once per caller token (YARP reuses one for a whole copy).</summary>
    private CancellationToken Combine(CancellationToken cancellationToken)
    {
        if (!Guard.Stop.CanBeCanceled) return cancellationToken;
        if (!cancellationToken.CanBeCanceled) return Guard.Stop;
        if (_linked is null || _linkedFor != cancellationToken)
        {
            _linked?.Dispose();
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Guard.Stop);
            _linkedFor = cancellationToken;
        }

        return _linked.Token;
    }
}
