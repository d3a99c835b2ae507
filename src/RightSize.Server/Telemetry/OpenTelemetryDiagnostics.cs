using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RightSize.Server.Telemetry;

/// <summary>
/// Passes what the OpenTelemetry SDK and its exporters report about themselves at Warning or above
/// into the gateway's log (event 130): they report only through their own <see cref="EventSource"/>s
/// (named <c>OpenTelemetry-…</c>), so an OTLP endpoint that cannot be reached, the only way out for
/// metrics and traces in a sidecar, otherwise fails without a word. Each kind of report (source and
/// event) is logged at most once per <see cref="Interval"/>: an exporter retries every few seconds.
/// One report is left out: <see cref="InstrumentIgnored"/>. The gateway's meters are enabled by
/// <see cref="GatewayMeters"/>' rules, not by <c>AddMeter</c>, so the SDK's own listener, which sees
/// every instrument in the process, reports each one it was not told about as ignored, this host's
/// included, though the rules export them: a warning that would name no fault.
/// </summary>
internal sealed partial class OpenTelemetryDiagnostics(ILogger<OpenTelemetryDiagnostics> logger, TimeProvider timeProvider) : IHostedService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private const string SourcePrefix = "OpenTelemetry-";

    /// <summary>The SDK's report of an instrument it was not told to listen to (<c>MetricInstrumentIgnored</c>).</summary>
    public const string InstrumentIgnored = "MetricInstrumentIgnored";

    private readonly ConcurrentDictionary<(string Source, int EventId), DateTimeOffset> _quietUntil = new();
    private Listener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener ??= new Listener(this);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask; // still listening while the exporters flush at shutdown

    public void Dispose() => _listener?.Dispose();

    private void Report(EventWrittenEventArgs report)
    {
        if (report.EventName == InstrumentIgnored) return;
        var level = report.Level is EventLevel.Critical or EventLevel.Error ? LogLevel.Error : LogLevel.Warning;
        if (!logger.IsEnabled(level)) return;
        var now = timeProvider.GetUtcNow();
        var key = (report.EventSource.Name, report.EventId);
        if (_quietUntil.TryGetValue(key, out var until) && now < until) return;
        _quietUntil[key] = now + Interval;
        var message = MessageOf(report);
        Log.Reported(logger, level, report.EventSource.Name, report.EventName ?? "-", message);
    }

    /// <summary>The report's message with its values, up to its first line break: an exception's stack trace stays out of the log.</summary>
    private static string MessageOf(EventWrittenEventArgs report)
    {
        var payload = report.Payload?.ToArray() ?? [];
        string message;
        try
        {
            message = report.Message is null ? string.Join(", ", payload) : string.Format(CultureInfo.InvariantCulture, report.Message, payload);
        }
        catch (FormatException)
        {
            message = report.Message!;
        }

        var lineBreak = message.AsSpan().IndexOfAny('\r', '\n');
        return lineBreak < 0 ? message : message[..lineBreak];
    }

    /// <summary>
    /// The listener itself. <see cref="EventListener"/>'s constructor already reports the sources that
    /// exist, before a derived constructor has run, so enabling them needs no state of its own.
    /// </summary>
    private sealed class Listener : EventListener
    {
        private readonly OpenTelemetryDiagnostics? _owner;

        public Listener(OpenTelemetryDiagnostics owner) => _owner = owner;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name.StartsWith(SourcePrefix, StringComparison.Ordinal)) EnableEvents(eventSource, EventLevel.Warning);
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.Level is EventLevel.Critical or EventLevel.Error or EventLevel.Warning) _owner?.Report(eventData);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 130, EventName = "OpenTelemetryReported", Message = "OpenTelemetry ({Source:l}, {ReportName:l}): {Message:l}")]
        public static partial void Reported(ILogger logger, LogLevel level, string source, string reportName, string message);
    }
}
