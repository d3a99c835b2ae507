namespace RightSize.Server.Resilience;

/// <summary>
/// Wraps an upstream response body. For an event stream, a read that fails (connection cut) or
/// outlives the request's deadline ends the body cleanly and records the failure in the
/// <see cref="StreamGuard"/>, so the gateway can end the client's stream with an error event of
/// its own. Any other body fails as it would have, within the deadline. Whether it is an event
/// stream (<c>text/event-stream</c>) is decided here, once per response, and kept in
/// <see cref="StreamGuard.EventStream"/> for the views and the forwarder after it.
/// </summary>
internal sealed class GuardedContent : UpstreamBodyContent
{
    private readonly StreamGuard _guard;
    private readonly bool _eventStream;

    public GuardedContent(HttpContent inner, StreamGuard guard)
        : base(inner)
    {
        _guard = guard;
        _eventStream = string.Equals(inner.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        guard.EventStream = _eventStream;
        CopyHeaders();
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new GuardedStream(await Inner.ReadAsStreamAsync(cancellationToken), _guard, _eventStream);
}
