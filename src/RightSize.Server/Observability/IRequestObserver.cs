namespace RightSize.Server.Observability;

/// <summary>
/// Receives what happens to each routed request: metrics, traces, logs and stats hang off this.
/// Called on the request path: implementations are cheap, thread-safe and never throw.
/// </summary>
internal interface IRequestObserver
{
    /// <summary>An attempt to one upstream starts; the returned state is handed back to <see cref="OnAttemptEnded"/>.</summary>
    object? OnAttemptStarted(RequestRecord request, AttemptRecord attempt);

    /// <summary>The attempt ended (success or failure, see <see cref="AttemptRecord.Failure"/>).</summary>
    void OnAttemptEnded(RequestRecord request, AttemptRecord attempt, object? state);

    /// <summary>The response to the client is complete (or the client went away).</summary>
    void OnCompleted(RequestRecord request);
}
