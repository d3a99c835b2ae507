using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using RightSize.Server.Configuration;

namespace RightSize.Server.Telemetry;

/// <summary><c>RightSize:Telemetry</c>: how the gateway reports what it does.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "RightSize:Telemetry";

    /// <summary>
    /// The section as a setting read outside <see cref="Configuration.RightSizeOptions"/>: once, at
    /// start-up, where its checks stop the gateway. Its check runs on every reload too, so that a
    /// value the next start would refuse is rejected now instead of accepted without effect, and a
    /// start lists those errors beside the others.
    /// </summary>
    internal static readonly KnownSetting Setting = new(SectionName, typeof(TelemetryOptions)) { Check = Check };

    private const string PrometheusPathError = "RightSize:Telemetry:PrometheusPath must be a URL path that starts with '/', has no query, spaces, braces or empty segments, and is outside the gateway's own paths (/v1, /routes, /rightsize, /healthz, /readyz), such as /metrics.";

    private const string CurrencyError = "RightSize:Telemetry:Currency must be a three-letter currency code such as USD or EUR.";

    /// <summary>The currency the tier prices are written in; it names the unit of the cost counters and the stats.</summary>
    [Required(ErrorMessage = CurrencyError)]
    [RegularExpression("^[A-Za-z]{3}$", ErrorMessage = CurrencyError)]
    public string Currency { get; set; } = TelemetryConstants.DefaultCurrency;

    /// <summary>
    /// <see cref="Currency"/> as the metrics, logs, spans and stats name it: upper case, since the
    /// setting takes <c>usd</c> too. (A method, so that it is not taken for a setting.)
    /// </summary>
    internal string CurrencyCode() => Currency.ToUpperInvariant();

    /// <summary>Minutes covered by the "last N minutes" window of <c>GET /rightsize/stats</c>.</summary>
    [Range(1, 1440, ErrorMessage = "RightSize:Telemetry:StatsWindowMinutes must be between 1 and 1440.")]
    public int StatsWindowMinutes { get; set; } = TelemetryConstants.DefaultStatsWindowMinutes;

    /// <summary>Serve the Prometheus scrape endpoint at <see cref="PrometheusPath"/>.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Record traces. Left out: on when an OTLP endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), off otherwise, since spans nobody exports only cost time.</summary>
    public bool? Tracing { get; set; }

    // Required as well: the pattern lets an empty value through (as every RegularExpression does),
    // and an empty PrometheusPath would serve the metrics at "/".
    [Required(ErrorMessage = PrometheusPathError)]
    [RegularExpression(TelemetryConstants.PathPattern, ErrorMessage = PrometheusPathError)]
    public string PrometheusPath { get; set; } = TelemetryConstants.DefaultPrometheusPath;

    /// <summary>The <c>service.name</c> resource attribute, unless <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    [Required(ErrorMessage = "RightSize:Telemetry:ServiceName must not be empty (default rightsize-gateway).")]
    public string ServiceName { get; set; } = TelemetryConstants.DefaultServiceName;

    /// <summary>
    /// One of the on/off settings (<see cref="Prometheus"/>, <see cref="Tracing"/>), read while the
    /// services are registered, before the options are checked: a value that is not a boolean reads
    /// as unset here, and the start-up check then reports it with every other error.
    /// </summary>
    internal static bool? ReadSwitch(IConfiguration configuration, string name) =>
        bool.TryParse(configuration[SectionName + ":" + name], out var on) ? on : null;

    private static void Check(IConfiguration configuration, List<string> errors)
    {
        var section = configuration.GetSection(SectionName);
        var telemetry = new TelemetryOptions();
        if (!SectionBinding.TryBind(section, telemetry, errors)) return;
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(telemetry, new ValidationContext(telemetry), results, validateAllProperties: true)) return;
        foreach (var result in results) errors.Add(result.ErrorMessage ?? $"{section.Path} is not valid.");
    }
}
