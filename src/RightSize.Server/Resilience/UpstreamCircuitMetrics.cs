using System.Diagnostics.Metrics;
using Polly.CircuitBreaker;
using RightSize.Server.Telemetry;

namespace RightSize.Server.Resilience;

/// <summary>
/// Publishes every upstream's circuit state as the gauge <c>rightsize.upstream.circuit.state</c>
/// (0 closed, 1 half-open, 2 open, 3 isolated; tag <c>rightsize.upstream</c>), read when metrics are
/// collected. An open circuit whose break is over is half-open (<see cref="UpstreamCircuit"/>).
/// </summary>
internal sealed class UpstreamCircuitMetrics
{
    public const string InstrumentName = "rightsize.upstream.circuit.state";
    public const string UpstreamTag = "rightsize.upstream";

    public UpstreamCircuitMetrics(IMeterFactory meterFactory, UpstreamClientRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(registry);
        meterFactory.Create(TelemetryNames.MeterName).CreateObservableGauge(
            InstrumentName,
            () => Observe(registry),
            unit: "{state}",
            description: "Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open, 3 isolated.");
    }

    private static IEnumerable<Measurement<int>> Observe(UpstreamClientRegistry registry)
    {
        foreach (var client in registry.All)
        {
            if (!client.Settings.CircuitBreakerEnabled) continue;
            var state = client.Circuit.State switch
            {
                CircuitState.HalfOpen => 1,
                CircuitState.Open => 2,
                CircuitState.Isolated => 3,
                _ => 0,
            };
            yield return new Measurement<int>(state, new KeyValuePair<string, object?>(UpstreamTag, client.Name));
        }
    }
}
