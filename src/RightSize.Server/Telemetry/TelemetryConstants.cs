namespace RightSize.Server.Telemetry;

/// <summary>Defaults of <see cref="TelemetryOptions"/> and the paths the telemetry endpoints use.</summary>
internal static class TelemetryConstants
{
    public const string DefaultCurrency = "USD";
    public const int DefaultStatsWindowMinutes = 15;
    public const string DefaultPrometheusPath = "/metrics";

    /// <summary>
    /// What <see cref="TelemetryOptions.PrometheusPath"/> must look like: '/' then path characters,
    /// no query, fragment, space, route-template brace or empty segment, and not in the gateway's
    /// own paths (<c>/v1</c>, <c>/routes</c>, <c>/rightsize</c>, <c>/healthz</c>, <c>/readyz</c>, in
    /// any case), which it would take over (<c>/readyz</c> would serve metrics in place of readiness),
    /// and <c>//</c>, which would crash the start.
    /// </summary>
    public const string PathPattern = @"^(?!.*//)(?!(?i:/(v1|routes|rightsize|healthz|readyz))(/|$))/[^?#\s{}]*$";
    public const string DefaultServiceName = "rightsize-gateway";
    public const string StatsPath = "/rightsize/stats";
    public const string DashboardPath = "/rightsize/dashboard";

    /// <summary>The standard variable (or configuration key) whose presence turns the OTLP exporter on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The standard variable (or configuration key) that chooses the trace sampler, read by <see cref="TracingSampler"/>.</summary>
    public const string TracesSamplerKey = "OTEL_TRACES_SAMPLER";

    /// <summary>The standard variable (or configuration key) with the ratio of the <c>traceidratio</c> samplers, 0 to 1.</summary>
    public const string TracesSamplerArgKey = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>Semantic-convention bucket boundaries for <c>gen_ai.client.token.usage</c>.</summary>
    public static readonly IReadOnlyList<long> TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    /// <summary>Semantic-convention bucket boundaries for <c>gen_ai.client.operation.duration</c>, seconds.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>Semantic-convention bucket boundaries for <c>gen_ai.client.operation.time_to_first_chunk</c>, seconds.</summary>
    public static readonly IReadOnlyList<double> FirstChunkBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];

    /// <summary>Bucket boundaries for <c>rightsize.classifier.duration</c>, seconds (10 µs to 100 ms).</summary>
    public static readonly IReadOnlyList<double> ClassifierBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
}
