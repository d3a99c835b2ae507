using Polly.CircuitBreaker;

namespace RightSize.Server.Resilience;

/// <summary>
/// An upstream's circuit breaker state, as <c>/readyz</c> and the gauge
/// <c>rightsize.upstream.circuit.state</c> report it. Polly leaves an opened circuit
/// <see cref="CircuitState.Open"/> after its break until a call comes to try it, so an upstream
/// no request reached since then would look open for good, though the next request would go to
/// it. Once the break is over the circuit is reported half-open: the next request tries it.
/// </summary>
internal sealed class UpstreamCircuit(TimeProvider timeProvider)
{
    // When the current break ends; long.MaxValue when there is none. Polly sets the state before it
    // calls OnOpened, so a value left from an earlier break would show a fresh one as over.
    private long _breakEndsUtcTicks = long.MaxValue;

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

    /// <summary>Called as the circuit opens, for a break of <paramref name="breakDuration"/> (an isolation's is endless).</summary>
    public void Opened(TimeSpan breakDuration)
    {
        var now = timeProvider.GetUtcNow().UtcTicks;
        var ends = breakDuration.Ticks >= long.MaxValue - now ? long.MaxValue : now + breakDuration.Ticks;
        Interlocked.Exchange(ref _breakEndsUtcTicks, ends);
    }

    /// <summary>Called as the circuit half-opens or closes: no break is running.</summary>
    public void BreakOver() => Interlocked.Exchange(ref _breakEndsUtcTicks, long.MaxValue);
}
