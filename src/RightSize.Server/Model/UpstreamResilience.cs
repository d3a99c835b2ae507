namespace RightSize.Server.Model;

/// <summary>An upstream's resilience settings, compared by value so a reload that does not change them keeps the circuit's state.</summary>
internal sealed record UpstreamResilience(
    TimeSpan HeadersTimeout,
    bool CircuitBreakerEnabled,
    double FailureRatio,
    int MinimumThroughput,
    TimeSpan SamplingDuration,
    TimeSpan BreakDuration);
