using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RightSize.Server.Model;

namespace RightSize.Server.Resilience;

/// <summary>
/// Builds an upstream's Polly pipeline around the wait for response headers: a circuit breaker
/// (outer) over a timeout (inner), so timeouts count as failures. The body of a response is not
/// covered: streams are bounded by the route's deadline instead.
/// </summary>
public static class UpstreamPipelineFactory
{
    public static ResiliencePipeline<HttpResponseMessage> Create(UpstreamResilience settings, TimeProvider timeProvider, CircuitBreakerStateProvider stateProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (settings.CircuitBreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                StateProvider = stateProvider,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome) || IsUnprovenTrial(args.Outcome, stateProvider)),
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Timeout = settings.HeadersTimeout });
        return builder.Build();
    }

    /// <summary>What counts against an upstream: 429, 5xx, timeouts and connection errors; not the client's own cancellation.</summary>
    public static bool IsFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException or HttpRequestException } => true,
        { Exception: not null } => false,
        { Result: { } response } => IsRetryableStatus(response.StatusCode),
        _ => false,
    };

    /// <summary>
    /// A half-open circuit's one trial call that ended without an answer because its client left:
    /// Polly would count it as a success and close the circuit on an upstream that proved nothing,
    /// so it counts as a failure and the circuit stays open for another break.
    /// </summary>
    private static bool IsUnprovenTrial(Outcome<HttpResponseMessage> outcome, CircuitBreakerStateProvider state) =>
        outcome.Exception is OperationCanceledException && state.CircuitState == CircuitState.HalfOpen;

    public static bool IsRetryableStatus(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;
}
