namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Upstreams:{name}:CircuitBreaker</c>: when to stop calling a failing upstream for a while.</summary>
public sealed class CircuitBreakerOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Share of failed calls (5xx, 429, timeouts, connection errors) in the sampling window that opens the circuit.</summary>
    public double FailureRatio { get; set; } = ResilienceDefaults.FailureRatio;

    /// <summary>Calls needed in the window before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = ResilienceDefaults.MinimumThroughput;

    public TimeSpan SamplingDuration { get; set; } = ResilienceDefaults.SamplingDuration;

    /// <summary>How long an open circuit skips the upstream before letting one trial call through.</summary>
    public TimeSpan BreakDuration { get; set; } = ResilienceDefaults.BreakDuration;
}
