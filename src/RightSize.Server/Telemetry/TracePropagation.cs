using System.Diagnostics;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Telemetry;

/// <summary>
/// What the gateway does to the trace context (<c>traceparent</c>, <c>tracestate</c>,
/// <c>baggage</c>) of an upstream request, decided with tracing at start-up.
/// </summary>
internal sealed class TracePropagation
{
    private TracePropagation(DistributedContextPropagator? headersPropagator) => HeadersPropagator = headersPropagator;

    /// <summary>
    /// Tracing on: YARP's propagator replaces the client's headers with the context of the
    /// gateway's own span, so the upstream's spans are children of it and follow its sampling decision.
    /// </summary>
    public static TracePropagation Traced { get; } = new(new ReverseProxyPropagator(DistributedContextPropagator.Current));

    /// <summary>
    /// Tracing off: none, so the client's headers pass upstream as they came and a request without
    /// them goes without. Propagating would send the context of ASP.NET Core's request activity,
    /// which exists for log correlation only: a span nobody exports, marked "not sampled" when the
    /// client sent no context, which an upstream that samples by its parent then drops.
    /// </summary>
    public static TracePropagation Untraced { get; } = new(null);

    /// <summary>The outbound handler's <see cref="System.Net.Http.SocketsHttpHandler.ActivityHeadersPropagator"/>; <see langword="null"/> injects nothing.</summary>
    public DistributedContextPropagator? HeadersPropagator { get; }

    public static TracePropagation For(bool tracing) => tracing ? Traced : Untraced;
}
