using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RightSize.Server.Observability;
using RightSize.Server.Stats;
using RightSize.Server.Usage;

namespace RightSize.Server.Telemetry;

/// <summary>
/// Turns each routed request into telemetry: a span per upstream attempt under the ASP.NET Core
/// request span (which gets the decision), the metrics of <see cref="GatewayMetrics"/>, a row in
/// the <see cref="StatsStore"/>, and one completion log line. Computes the request's cost once,
/// through <see cref="CostCalculator"/>. Allocation-light and never throws on the request path.
/// </summary>
internal sealed partial class TelemetryRequestObserver(GatewayMetrics metrics, StatsStore stats, IOptions<TelemetryOptions> options, ILogger<TelemetryRequestObserver> logger) : IRequestObserver
{
    private readonly string _currency = options.Value.CurrencyCode();

    public object? OnAttemptStarted(RequestRecord request, AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(attempt);
        try
        {
            return RequestSpans.StartAttempt(request, attempt);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.ObserverFailed(logger, exception);
            return null;
        }
    }

    public void OnAttemptEnded(RequestRecord request, AttemptRecord attempt, object? state)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(attempt);
        try
        {
            RequestSpans.EndAttempt(request, attempt, state);
            metrics.RecordAttempt(request, attempt);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.ObserverFailed(logger, exception);
        }
    }

    public void OnCompleted(RequestRecord request)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            var priced = CostCalculator.TryCompute(request, out var cost);
            metrics.RecordCompleted(request, priced, cost);
            stats.Record(request, priced, cost);
            RequestSpans.Complete(request, priced, cost, _currency);
            var level = CompletionLevel(request);
            if (logger.IsEnabled(level)) LogCompleted(level, request, priced, cost);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.ObserverFailed(logger, exception);
        }
    }
}
