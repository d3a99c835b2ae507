using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace RightSize.Server.Telemetry;

/// <summary>
/// Whether requests are traced: <c>RightSize:Telemetry:Tracing</c> when set, else on exactly when
/// an OTLP endpoint is configured; and how, when they are: the standard
/// <c>OTEL_TRACES_SAMPLER</c> and <c>OTEL_TRACES_SAMPLER_ARG</c> when set, else
/// <c>parentbased_always_on</c> (the client's sampling decision is kept, and a request without one
/// is sampled).
/// </summary>
/// <remarks>
/// The sampler is built here rather than left to the SDK, which reads the same variables only when
/// no sampler is set in code, parses the ratio in the current culture and falls back to sampling
/// everything on a value it does not know; here a bad value stops the start-up naming its key
/// (<see cref="TracingSamplerValidator"/>).
/// </remarks>
internal static class TracingSampler
{
    private const string Supported = "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio";

    public static bool IsEnabled(IConfiguration configuration) =>
        TelemetryOptions.ReadSwitch(configuration, nameof(TelemetryOptions.Tracing))
            ?? !string.IsNullOrWhiteSpace(configuration[TelemetryConstants.OtlpEndpointKey]);

    /// <summary>The configured sampler; the default one when the setting is invalid, which the start-up check reports.</summary>
    public static Sampler Create(IConfiguration configuration) =>
        TryCreate(configuration, out var sampler, out _) ? sampler : Default();

    /// <summary>The sampler <c>OTEL_TRACES_SAMPLER</c> and <c>OTEL_TRACES_SAMPLER_ARG</c> name, or why they name none.</summary>
    public static bool TryCreate(IConfiguration configuration, out Sampler sampler, out string? error)
    {
        sampler = Default();
        error = null;
        var name = configuration[TelemetryConstants.TracesSamplerKey]?.Trim();
        if (string.IsNullOrEmpty(name)) return true;

        switch (name.ToUpperInvariant())
        {
            case "ALWAYS_ON":
                sampler = new AlwaysOnSampler();
                return true;
            case "ALWAYS_OFF":
                sampler = new AlwaysOffSampler();
                return true;
            case "PARENTBASED_ALWAYS_ON":
                return true;
            case "PARENTBASED_ALWAYS_OFF":
                sampler = new ParentBasedSampler(new AlwaysOffSampler());
                return true;
            case "TRACEIDRATIO" or "PARENTBASED_TRACEIDRATIO":
                if (!TryReadRatio(configuration, out var ratio))
                {
                    error = $"{TelemetryConstants.TracesSamplerArgKey} must be a number from 0 to 1 (the share of traces sampled, such as 0.1) for {TelemetryConstants.TracesSamplerKey}={name}.";
                    return false;
                }

                var byTraceId = new TraceIdRatioBasedSampler(ratio);
                sampler = name.Length == "traceidratio".Length ? byTraceId : new ParentBasedSampler(byTraceId);
                return true;
            default:
                error = $"{TelemetryConstants.TracesSamplerKey} must be one of {Supported}.";
                return false;
        }
    }

    private static ParentBasedSampler Default() => new(new AlwaysOnSampler());

    // As the specification says: no argument samples every trace.
    private static bool TryReadRatio(IConfiguration configuration, out double ratio)
    {
        var text = configuration[TelemetryConstants.TracesSamplerArgKey];
        ratio = 1.0;
        if (string.IsNullOrWhiteSpace(text)) return true;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) && ratio is >= 0 and <= 1;
    }
}
