using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics;

namespace RightSize.Server.Telemetry;

/// <summary>
/// The meters the gateway exports, as rules of <see cref="IMetricsBuilder"/> rather than
/// OpenTelemetry's <c>AddMeter</c>, which listens to every meter of a name in the process. Meters
/// are process-wide: a second host in the same process (the demo's upstream simulators, a test's
/// other gateways) creates meters of the same names, and OpenTelemetry would export their
/// measurements as this host's, and drop an instrument of this host's when the other host's
/// instrument of the same name is disposed. A rule scoped to <see cref="MeterScope.Local"/> takes
/// only the meters created by this host's <see cref="IMeterFactory"/>.
/// </summary>
internal static class GatewayMeters
{
    /// <summary>The meters ASP.NET Core and Kestrel create from the host's <see cref="IMeterFactory"/>.</summary>
    public const string AspNetCore = "Microsoft.AspNetCore.*";

    /// <summary>The outbound connection pool's meter, created from the host's factory (<see cref="Forwarding.ForwardingHttpClient"/>).</summary>
    public const string HttpClient = "System.Net.Http";

    /// <summary>Process-wide meters that belong to no host: the runtime's, and DNS resolution's.</summary>
    public static readonly string[] ProcessWide = ["System.Runtime", "System.Net.NameResolution"];

    public static void Enable(IMetricsBuilder metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.EnableMetrics(TelemetryNames.MeterName, scopes: MeterScope.Local);
        metrics.EnableMetrics(AspNetCore, scopes: MeterScope.Local);
        metrics.EnableMetrics(HttpClient, scopes: MeterScope.Local);
        foreach (var meter in ProcessWide) metrics.EnableMetrics(meter, scopes: MeterScope.Global);
    }
}
