using Microsoft.Extensions.Logging;
using RightSize.Server.Observability;
using RightSize.Server.Usage;

namespace RightSize.Server.Telemetry;

internal sealed partial class TelemetryRequestObserver
{
    /// <summary>
    /// The completion line's level: Warning when the client got a failure it did not cause (a 5xx,
    /// an upstream's 429 included, which the client gets as the gateway's 503, and an upstream's 401
    /// or 403, the gateway's own provider key refused, which it gets as the gateway's 502; or a
    /// stream that broke after it started), so that an alert on Warning sees them; Information
    /// otherwise, client errors and a client that left included.
    /// </summary>
    internal static LogLevel CompletionLevel(RequestRecord request)
    {
        if (request.ClientAborted) return LogLevel.Information;
        return request.StreamFailed || request.StatusCode >= 500 ? LogLevel.Warning : LogLevel.Information;
    }

    // Only called when the level is enabled: the escalation list is built then and only then.
    private void LogCompleted(LogLevel level, RequestRecord request, bool priced, in RequestCost cost)
    {
        int? promptTokens = request.Usage?.PromptTokens;
        int? completionTokens = TelemetryTags.HasOutputTokens(request.Operation) ? request.Usage?.CompletionTokens : null;
        decimal? amount = priced ? cost.Cost : null;
        decimal? savings = priced ? cost.Savings : null;
        var tier = RequestOutcome.ServedTierOf(request) ?? "-";
        var model = RequestOutcome.ServedModelOf(request) ?? "-";
        double? confidence = request.Confidence is { } c ? Math.Round(c, 3, MidpointRounding.AwayFromZero) : null;
        var escalations = EscalationList(request);
        var errorType = TelemetryTags.ErrorTypeOf(request) ?? "-";
        var durationMs = Math.Round(request.Duration.TotalMilliseconds, 1);
        double? firstChunkMs = request.Stream && request.TimeToFirstChunk is { } first ? Math.Round(first.TotalMilliseconds, 1) : null;
        var upstreamRequestId = request.Attempts.Count > 0 ? request.Attempts[^1].UpstreamRequestId : null;
        Log.RequestCompleted(
            logger,
            level,
            request.RequestId,
            request.Operation,
            request.Route ?? "-",
            tier,
            model,
            request.DecidedTier ?? "-",
            confidence,
            request.Reason.Length > 0 ? request.Reason : "-", // a request refused before it was routed has none
            escalations,
            request.StatusCode,
            errorType,
            durationMs,
            firstChunkMs,
            promptTokens,
            completionTokens,
            amount,
            savings,
            _currency,
            upstreamRequestId ?? "-");
    }

    private static string EscalationList(RequestRecord request)
    {
        var count = 0;
        for (var e = Escalation.Reasons(request); e.MoveNext();) count++;
        if (count == 0) return string.Empty;
        var reasons = new string[count];
        var n = 0;
        foreach (var reason in Escalation.Reasons(request)) reasons[n++] = reason;
        return string.Join(',', reasons);
    }

    private static partial class Log
    {
        /// <summary>
        /// The one line per request. Holds decision, usage, cost and latency; never prompt or
        /// completion text, never credentials.
        /// </summary>
        [LoggerMessage(EventId = 5000, EventName = "RequestCompleted",
            Message = "Request {RequestId:l} {Operation:l} route {Route:l} tier {Tier:l} model {Model:l} (decided {DecidedTier:l}, confidence {Confidence}): {StatusCode} (error {ErrorType:l}) in {DurationMs} ms (first chunk {TimeToFirstChunkMs} ms), reason {Reason:l}, escalations [{Escalations:l}], tokens {PromptTokens} in {CompletionTokens} out, cost {Cost} saved {Savings} {Currency:l}, upstream request {UpstreamRequestId:l}")]
        public static partial void RequestCompleted(ILogger logger, LogLevel level, string requestId, string operation, string route, string tier, string model, string decidedTier, double? confidence, string reason, string escalations,
            int statusCode, string errorType, double durationMs, double? timeToFirstChunkMs, int? promptTokens, int? completionTokens, decimal? cost, decimal? savings, string currency, string upstreamRequestId);

        [LoggerMessage(EventId = 5001, EventName = "ObserverFailed", Level = LogLevel.Warning, Message = "Recording telemetry for a request failed")]
        public static partial void ObserverFailed(ILogger logger, Exception exception);
    }
}
