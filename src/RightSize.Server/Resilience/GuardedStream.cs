namespace RightSize.Server.Resilience;

/// <summary>The read side of <see cref="GuardedContent"/>.</summary>
internal sealed class GuardedStream(Stream inner, StreamGuard guard, bool eventStream) : UpstreamBodyStream(inner, guard, eventStream)
{
    private CancellationTokenSource? _linked;
    private CancellationToken _linkedFor;
    private bool _linkedAfterDone;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Guard.Failure is not null || Guard.DoneGraceOver) return 0;
        try
        {
            return await Inner.ReadAsync(buffer, Combine(cancellationToken));
        }
        catch (OperationCanceledException) when (Guard.DoneGraceOver && !cancellationToken.IsCancellationRequested && !Guard.Stop.IsCancellationRequested)
        {
            // [DONE] went out a grace ago and the upstream still holds its body open: the answer is whole.
            return 0;
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

    /// <summary>
    /// The caller's token joined with the guard's stop token and, once <c>[DONE]</c> has gone out,
    /// its grace (<see cref="StreamGuard.AfterDone"/>); built once per caller token (YARP reuses one
    /// for a whole copy) and once more when the grace starts.
    /// </summary>
    private CancellationToken Combine(CancellationToken cancellationToken)
    {
        var afterDone = Guard.AfterDone;
        if (!afterDone.CanBeCanceled)
        {
            if (!Guard.Stop.CanBeCanceled) return cancellationToken;
            if (!cancellationToken.CanBeCanceled) return Guard.Stop;
        }

        if (_linked is null || _linkedFor != cancellationToken || _linkedAfterDone != afterDone.CanBeCanceled)
        {
            _linked?.Dispose();
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Guard.Stop, afterDone);
            _linkedFor = cancellationToken;
            _linkedAfterDone = afterDone.CanBeCanceled;
        }

        return _linked.Token;
    }
}
