using Polly.CircuitBreaker;
using RightSize.Server.Model;

namespace RightSize.Server.Resilience;

/// <summary>The outbound client of one upstream: its pipeline over the shared connection pool, and its circuit's state.</summary>
public sealed class UpstreamClient(string name, UpstreamResilience settings, HttpMessageInvoker invoker, CircuitBreakerStateProvider circuit)
{
    public string Name { get; } = name;

    public UpstreamResilience Settings { get; } = settings;

    public HttpMessageInvoker Invoker { get; } = invoker;

    public CircuitBreakerStateProvider Circuit { get; } = circuit;

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>; <c>disabled</c> without a breaker.</summary>
    public string CircuitStateName => !Settings.CircuitBreakerEnabled ? "disabled" : Circuit.CircuitState switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        CircuitState.Isolated => "isolated",
        _ => "unknown",
    };
}
