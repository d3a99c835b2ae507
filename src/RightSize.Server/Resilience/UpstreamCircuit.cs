using Polly.CircuitBreaker;

namespace RightSize.Server.Resilience;

/// <summary>
/// An upstream's circuit breaker state, as <c>/readyz</c> and the gauge
/// <c>rightsize.upstream.circuit.state</c> report it. Polly leaves an opened circuit
/// <see cref="CircuitState.Open"/> after its break until a call comes to try it, so an upstream
/// no request reached since then looked open for good (until 2026-12-02), though the next request
/// would go to it. Once the break is over the circuit is reported half-open: the next request tries it.
/// </summary>
internal sealed class UpstreamCircuit(TimeProvider timeProvider)
{
    private long _breakEndsUtcTicks;

    /// <summary>The state Polly's circuit breaker keeps and acts on.</summary>
    public CircuitBreakerStateProvider Provider { get; } = new();

    /// <summary>Polly's state, except half-open for an open circuit whose break is over.</summary>
    public CircuitState State
    {
        get
        {
            var state = Provider.CircuitState;
            return state == CircuitState.Open && timeProvider.GetUtcNow().UtcTicks >= Interlocked.Read(ref _breakEndsUtcTicks)
                ? CircuitState.HalfOpen
                : state;
        }
    }

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>.</summary>
    public string StateName => State switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        CircuitState.Isolated => "isolated",
        _ => "unknown",
    };

    /// <summary>Called as the circuit opens, for a break of <paramref name="breakDuration"/>.</summary>
    public void Opened(TimeSpan breakDuration) =>
        Interlocked.Exchange(ref _breakEndsUtcTicks, (timeProvider.GetUtcNow() + breakDuration).UtcTicks);
}
