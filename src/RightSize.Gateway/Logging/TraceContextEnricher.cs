using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace RightSize.Gateway.Logging;

/// <summary>
/// Adds <c>TraceId</c> and <c>SpanId</c> (W3C hex) from the current <see cref="Activity"/>, so a
/// log line joins the trace of its request; ASP.NET Core's request scope adds <c>RequestId</c>.
/// </summary>
public sealed class TraceContextEnricher : ILogEventEnricher
{
    public const string TraceIdProperty = "TraceId";
    public const string SpanIdProperty = "SpanId";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ActivityTraceId traceId;
        ActivitySpanId spanId;
        if (logEvent.TraceId is { } eventTrace && logEvent.SpanId is { } eventSpan)
        {
            traceId = eventTrace;
            spanId = eventSpan;
        }
        else if (Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C)
        {
            traceId = activity.TraceId;
            spanId = activity.SpanId;
        }
        else
        {
            return;
        }

        logEvent.AddPropertyIfAbsent(new LogEventProperty(TraceIdProperty, new ScalarValue(traceId.ToHexString())));
        logEvent.AddPropertyIfAbsent(new LogEventProperty(SpanIdProperty, new ScalarValue(spanId.ToHexString())));
    }
}
