using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace RightSize.Server.Telemetry;

/// <summary>
/// Decides, when the tracer provider is built, whether requests are traced:
/// <c>RightSize:Telemetry:Tracing</c> when set, else on exactly when an OTLP endpoint is configured.
/// Spans that nobody exports only cost time on every request.
/// </summary>
internal static class TracingSampler
{
    public static Sampler For(IConfiguration configuration)
    {
        var enabled = configuration.GetValue<bool?>(TelemetryOptions.SectionName + ":" + nameof(TelemetryOptions.Tracing))
            ?? !string.IsNullOrWhiteSpace(configuration[TelemetryConstants.OtlpEndpointKey]);
        return enabled ? new ParentBasedSampler(new AlwaysOnSampler()) : new AlwaysOffSampler();
    }
}
