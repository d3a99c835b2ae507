using RightSize.Server.Forwarding;

namespace RightSize.Server.Resilience;

/// <summary>
/// One attempt's watch over its upstream response: carries the request's stop token (its deadline
/// or the gateway's shutdown cutoff) down to the outbound handler, and records how the response
/// body failed once it had started.
/// </summary>
/// <param name="stop">Fires at the request's deadline or the gateway's shutdown cutoff.</param>
/// <param name="shutdown">Fires at the gateway's shutdown cutoff.</param>
/// <param name="clientAborted">Fires when the client leaves (the request's <c>RequestAborted</c>).</param>
/// <param name="clock">Times the grace after <c>[DONE]</c> (<see cref="EndReadsAfterDone"/>).</param>
internal sealed class StreamGuard(CancellationToken stop, CancellationToken shutdown, CancellationToken clientAborted, TimeProvider? clock = null) : IDisposable
{
    /// <summary>
    /// How long the upstream may go on after <c>data: [DONE]</c> has gone out (a usage chunk some
    /// servers send after it is still read) before its read ends.
    /// </summary>
    public static readonly TimeSpan DoneGrace = TimeSpan.FromSeconds(1);

    public static readonly HttpRequestOptionsKey<StreamGuard> OptionsKey = new("RightSize.StreamGuard");

    private CancellationTokenSource? _afterDone;

    /// <summary>Fires when the request must end: its deadline passed or the gateway is shutting down.</summary>
    public CancellationToken Stop { get; } = stop;

    /// <summary>
    /// How the upstream body failed after its headers (<c>response-cut</c>, <c>timeout</c>,
    /// <c>deadline</c>, <c>shutdown</c>, <c>upstream-error</c>), or null. Once set, the upstream
    /// read ends: reads of a cut body, or a stream event longer than the gateway holds.
    /// </summary>
    public string? Failure { get; set; }

    /// <summary>The exception behind <see cref="Failure"/>, when a read failed with one: what log event 200 shows as its detail.</summary>
    public Exception? FailureCause { get; set; }

    /// <summary>
    /// Whether the upstream's answer is an event stream (<c>text/event-stream</c>), as its content
    /// headers say; set when its body is wrapped (<see cref="GuardedContent"/>), before any of it is read.
    /// </summary>
    public bool EventStream { get; set; }

    /// <summary>
    /// Fires <see cref="DoneGrace"/> after <see cref="EndReadsAfterDone"/>: the answer is whole, and
    /// an upstream that keeps its body open after <c>[DONE]</c> must not keep the client's response
    /// open with it until the activity timeout (5 minutes by default).
    /// </summary>
    public CancellationToken AfterDone => _afterDone?.Token ?? CancellationToken.None;

    /// <summary>Whether the grace after <c>[DONE]</c> is over: a read it ended is the body's end, no failure.</summary>
    public bool DoneGraceOver => _afterDone?.IsCancellationRequested == true;

    /// <summary>Starts the grace after <c>[DONE]</c> went out to the client (<see cref="AfterDone"/>).</summary>
    public void EndReadsAfterDone() => _afterDone ??= new CancellationTokenSource(DoneGrace, clock ?? TimeProvider.System);

    public void Dispose() => _afterDone?.Dispose();

    /// <summary>Whether the client has left: a read it cut short is no upstream failure.</summary>
    public bool ClientLeft => clientAborted.IsCancellationRequested;

    /// <summary>
    /// The failure a read cut short records: why <see cref="Stop"/> fired; else <c>timeout</c> when the
    /// forwarder's own token fired (the upstream was silent for longer than its activity timeout);
    /// else <c>response-cut</c>.
    /// </summary>
    public string FailureOfCutRead(CancellationToken forwarderToken) =>
        Stop.IsCancellationRequested ? AttemptFailures.OfStop(shutdown)
        : forwarderToken.IsCancellationRequested ? AttemptFailures.Timeout
        : AttemptFailures.ResponseCut;
}
