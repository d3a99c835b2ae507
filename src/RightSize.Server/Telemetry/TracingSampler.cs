using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace RightSize.Server.Telemetry;

/// <summary>
/// Whether requests are traced: <c>RightSize:Telemetry:Tracing</c> when set, else on exactly when
/// an OTLP endpoint is configured; and how, when they are: the client's sampling decision is kept,
/// and a request without one is sampled.
/// </summary>
internal static class TracingSampler
{
    public static bool IsEnabled(IConfiguration configuration) =>
        TelemetryOptions.ReadSwitch(configuration, nameof(TelemetryOptions.Tracing))
            ?? !string.IsNullOrWhiteSpace(configuration[TelemetryConstants.OtlpEndpointKey]);

    public static Sampler Create() => new ParentBasedSampler(new AlwaysOnSampler());
}
