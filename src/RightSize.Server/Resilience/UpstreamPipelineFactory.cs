using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RightSize.Server.Model;

namespace RightSize.Server.Resilience;

/// <summary>
/// Builds an upstream's Polly pipeline around the wait for response headers: a circuit breaker
/// (outer) over a timeout (inner), so timeouts count as failures. The body of a response is not
/// covered: streams are bounded by the route's deadline instead. The circuit's changes of state
/// are logged under the upstream's name (events 210–212).
/// </summary>
internal static partial class UpstreamPipelineFactory
{
    public static ResiliencePipeline<HttpResponseMessage> Create(UpstreamResilience settings, TimeProvider timeProvider, UpstreamCircuit circuit, ILogger logger, string upstream)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(circuit);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (settings.CircuitBreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                StateProvider = circuit.Provider,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome) || IsUnprovenTrial(args.Outcome, circuit.Provider)),
                OnOpened = args =>
                {
                    circuit.Opened(args.BreakDuration);
                    Log.CircuitOpened(logger, upstream, args.BreakDuration, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    circuit.BreakOver();
                    Log.CircuitHalfOpened(logger, upstream);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    circuit.BreakOver();
                    Log.CircuitClosed(logger, upstream);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = settings.HeadersTimeout });
        return builder.Build();
    }

    /// <summary>
    /// What counts against an upstream: 5xx, timeouts and connection errors; not the client's own
    /// cancellation, and not a 429. Providers limit rates per model and per key, while the circuit
    /// covers the whole upstream: a mid model's 429s would otherwise shut out the frontier model
    /// on the same provider. A 429 still moves its request on (<see cref="Forwarding.AttemptTransformer.IsHeldBack"/>), as a
    /// 408 does, which does not count either: like a 429 it closes a half-open circuit (the upstream answered).
    /// Nor a 3xx, 401 or 403, which move their request on too: the upstream answered, and a refused
    /// key or a misconfigured URL is fixed by the operator, not by waiting out a break.
    /// </summary>
    public static bool IsFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException or HttpRequestException } => true,
        { Exception: not null } => false,
        { Result: { } response } => (int)response.StatusCode >= 500,
        _ => false,
    };

    /// <summary>
    /// A half-open circuit's one trial call that ended without an answer because its client left:
    /// Polly would count it as a success and close the circuit on an upstream that proved nothing,
    /// so it counts as a failure and the circuit stays open for another break.
    /// </summary>
    private static bool IsUnprovenTrial(Outcome<HttpResponseMessage> outcome, CircuitBreakerStateProvider state) =>
        outcome.Exception is OperationCanceledException && state.CircuitState == CircuitState.HalfOpen;

    /// <summary>The outcome that opened a circuit: the status, or the kind of error (its message may carry upstream text).</summary>
    private static string Describe(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => "timeout",
        { Exception: HttpRequestException { HttpRequestError: var error } } => "connection error (" + error + ")",
        { Exception: OperationCanceledException } => "a half-open trial its client left",
        { Exception: { } exception } => exception.GetType().Name,
        { Result: { } response } => "status " + ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "unknown",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Circuit of upstream {Upstream} opened for {BreakDuration}; the last failure: {LastFailure}")]
        public static partial void CircuitOpened(ILogger logger, string upstream, TimeSpan breakDuration, string lastFailure);

        [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Circuit of upstream {Upstream} half-open: the next request tries it")]
        public static partial void CircuitHalfOpened(ILogger logger, string upstream);

        [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Circuit of upstream {Upstream} closed")]
        public static partial void CircuitClosed(ILogger logger, string upstream);
    }
}
