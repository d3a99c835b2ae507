using RightSize.Server.Forwarding;

namespace RightSize.Server.Resilience;

/// <summary>
/// One attempt's watch over its upstream response: carries the request's stop token (its deadline
/// or the gateway's shutdown cutoff) down to the outbound handler, and records how an event stream
/// failed once it had started.
/// </summary>
public sealed class StreamGuard(CancellationToken stop, CancellationToken shutdown)
{
    public static readonly HttpRequestOptionsKey<StreamGuard> OptionsKey = new("RightSize.StreamGuard");

    /// <summary>Fires when the request must end: its deadline passed or the gateway is shutting down.</summary>
    public CancellationToken Stop { get; } = stop;

    /// <summary>How the upstream event stream failed after its headers (<c>response-cut</c>, <c>deadline</c>, <c>shutdown</c>), or null.</summary>
    public string? Failure { get; set; }

    /// <summary>The failure a read cut short records: why <see cref="Stop"/> fired, else <c>response-cut</c>.</summary>
    public string FailureOfCutRead() =>
        !Stop.IsCancellationRequested ? AttemptFailures.ResponseCut
        : shutdown.IsCancellationRequested ? AttemptFailures.Shutdown
        : AttemptFailures.Deadline;
}
