using RightSize.Server.Model;

namespace RightSize.Server.Resilience;

/// <summary>The outbound client of one upstream: its pipeline over the shared connection pool, and its circuit's state.</summary>
internal sealed class UpstreamClient(string name, string baseUrl, UpstreamResilience settings, HttpMessageInvoker invoker, UpstreamCircuit circuit)
{
    public string Name { get; } = name;

    /// <summary>The address the circuit's history was gathered against.</summary>
    public string BaseUrl { get; } = baseUrl;

    public UpstreamResilience Settings { get; } = settings;

    public HttpMessageInvoker Invoker { get; } = invoker;

    public UpstreamCircuit Circuit { get; } = circuit;

    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>; <c>disabled</c> without a breaker.</summary>
    public string CircuitStateName => Settings.CircuitBreakerEnabled ? Circuit.StateName : "disabled";

    /// <summary>
    /// Whether this client still serves <paramref name="upstream"/>: the same address and the same
    /// resilience settings. A new address starts with a fresh circuit, so an operator's fix of a
    /// wrong URL takes effect at once instead of after the old address's break.
    /// </summary>
    public bool Serves(UpstreamEndpoint upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Settings == upstream.Resilience && string.Equals(BaseUrl, upstream.BaseUrl, StringComparison.Ordinal);
    }
}
