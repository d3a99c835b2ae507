using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Rewriting;
using RightSize.Server.Buffers;
using RightSize.Server.Hosting;
using RightSize.Server.Observability;
using RightSize.Server.Resilience;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Forwards a request through YARP's <see cref="IHttpForwarder"/>, candidate by candidate: while
/// nothing has reached the client, a 408, a 429, a 5xx, a 3xx, a 401 or 403, a 2xx that is no
/// OpenAI answer, a timeout to headers, a refused or reset connection, an open circuit or a 400
/// saying a limit of the model (<see cref="RightSize.OpenAI.Errors.ModelLimitError"/>: its context
/// window, or a parameter it does not take) moves the request to the next tier up. Once bytes have reached
/// the client a failing stream is ended with an error event. Every attempt runs inside the route's
/// deadline, the gateway's shutdown cutoff and the client's own cancellation.
/// </summary>
internal sealed partial class EscalatingForwarder(
    IHttpForwarder forwarder,
    UpstreamClientRegistry clients,
    GatewayLifecycle lifecycle,
    TimeProvider timeProvider,
    IEnumerable<IRequestObserver> observers,
    HeldResponseBudget heldResponses,
    ILogger<EscalatingForwarder> logger)
{
    private readonly IRequestObserver[] _observers = [.. observers];

    public async Task ForwardAsync(HttpContext context, ForwardPlan plan, RequestRecord record)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(record);
        var attemptsStarted = timeProvider.GetTimestamp();
        using var stop = new CancellationTokenSource(plan.Deadline, timeProvider);
        using var onShutdown = lifecycle.Cutoff.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), stop);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stop.Token);
        using var body = new PooledBuffer(plan.Body.Count + 128);
        var attempt = new AttemptContext(context, plan, record, body, stop, attemptsStarted, lifecycle.Cutoff, linked.Token);
        // Each attempt reads its body from `body`, whose array goes back to the pool on return: the
        // request keeps no stream over it.
        var clientBody = context.Request.Body;
        try
        {
            await TryEachAsync(attempt, stop);
        }
        finally
        {
            context.Request.Body = clientBody;
        }
    }

    private async Task TryEachAsync(AttemptContext attempt, CancellationTokenSource stop)
    {
        var (context, plan, record) = (attempt.Context, attempt.Plan, attempt.Record);
        var tried = plan.Candidates[0];
        for (var i = 0; i < plan.Candidates.Count; i++)
        {
            tried = plan.Candidates[i];
            var result = await TryCandidateAsync(attempt, tried, isLast: i == plan.Candidates.Count - 1);
            if (result == AttemptResult.Done) return;
            ResetResponse(context);
            if (stop.IsCancellationRequested || context.RequestAborted.IsCancellationRequested) break;
        }

        // No answer reached the client: what the last attempt reported is a failed attempt's, too.
        KeepFailedAttemptsUsage(record);
        if (context.RequestAborted.IsCancellationRequested)
        {
            MarkClientAborted(context, record);
            return;
        }

        RecordReason(plan, record);
        HeadersFor(plan, record, tried).WriteTo(context.Response.Headers);
        await FailureResponses.WriteAllFailedAsync(context, plan, record, stop.IsCancellationRequested ? attempt.StopFailure : null);
    }

    private async Task<AttemptResult> TryCandidateAsync(AttemptContext attempt, ForwardCandidate candidate, bool isLast)
    {
        var (context, plan, record) = (attempt.Context, attempt.Plan, attempt.Record);
        var includeUsageAdded = PrepareBody(attempt, candidate);
        var client = clients.Get(candidate.Upstream);
        var retriedAfter429 = false;
        while (true)
        {
            var started = timeProvider.GetTimestamp();
            var attemptRecord = new AttemptRecord
            {
                Index = record.Attempts.Count,
                Tier = candidate.TierName ?? AttemptRecord.PassthroughTier,
                Upstream = candidate.Upstream.Name,
                Model = candidate.Model,
            };
            KeepFailedAttemptsUsage(record);
            record.Attempts.Add(attemptRecord);
            RecordCandidate(record, candidate);
            var states = StartAttempt(record, attemptRecord);
            var outcome = await SendOnceAsync(attempt, candidate, client, includeUsageAdded, attemptRecord, isLast);
            attemptRecord.Duration = timeProvider.GetElapsedTime(started);
            EndAttempt(record, attemptRecord, states);
            LogAttempt(context, attemptRecord, outcome);

            if (outcome.Result == AttemptResult.Done) return AttemptResult.Done;
            if (isLast && !retriedAfter429 && ShouldWait(outcome.RetryAfter, plan.RetryAfterLimit, plan.Deadline - timeProvider.GetElapsedTime(attempt.StartedAt)) is { } wait
                && !attempt.Stop.IsCancellationRequested)
            {
                retriedAfter429 = true;
                attemptRecord.RetryAfterWaited = true;
                ResetResponse(context);
                try
                {
                    await Task.Delay(wait, timeProvider, attempt.Token);
                }
                catch (OperationCanceledException)
                {
                    return AttemptResult.Failed;
                }

                continue;
            }

            return AttemptResult.Failed;
        }
    }

    /// <summary>
    /// The upstream's <c>Retry-After</c> when it is worth one wait: within the route's limit (zero
    /// turns retries off) and ending before the route's deadline. A wait the deadline would cut
    /// short is not started: the client gets the 503 with the upstream's <c>Retry-After</c> at once,
    /// rather than a 504 at the deadline.
    /// </summary>
    private static TimeSpan? ShouldWait(TimeSpan? retryAfter, TimeSpan limit, TimeSpan untilDeadline) =>
        retryAfter is { } wait && limit > TimeSpan.Zero && wait <= limit && wait < untilDeadline ? wait : null;

    private async Task<AttemptOutcome> SendOnceAsync(AttemptContext attempt, ForwardCandidate candidate, UpstreamClient client, bool includeUsageAdded, AttemptRecord attemptRecord, bool isLast)
    {
        var (context, plan, record) = (attempt.Context, attempt.Plan, attempt.Record);
        var request = context.Request;
        var body = attempt.Body;
        request.Body = new MemoryStream(body.Array!, body.Offset, body.Count, writable: false);
        request.ContentLength = body.Count;
        var clientBody = context.Response.Body;
        using var guard = new StreamGuard(attempt.Stop.Token, attempt.Shutdown, context.RequestAborted, timeProvider);
        using var observed = new ObservedResponseBody(context.Response, plan.Stream, includeUsageAdded, record, guard, heldResponses);
        context.Response.Body = observed;
        RecordReason(plan, record);
        var transformer = new AttemptTransformer(candidate, plan.ApiPath, HeadersFor(plan, record, candidate), guard, timeProvider, higherTierLeft: !isLast);
        ForwarderError error;
        AttemptOutcome? forwarded = null;
        try
        {
            error = await forwarder.SendAsync(context, candidate.Upstream.BaseUrl, client.Invoker, plan.RequestConfig, transformer, CancellationToken.None);
            attemptRecord.UpstreamRequestId = transformer.UpstreamRequestId;
            if (error == ForwarderError.None && !transformer.HeldBack) forwarded = await FinishForwardedAsync(context, record, attemptRecord, guard, observed);
        }
        finally
        {
            context.Response.Body = clientBody;
        }

        var outcome = forwarded ?? Failed(attempt, attemptRecord, transformer, guard, observed, error);
        // Failed before anything reached the client, the attempt may still have been billed.
        if (outcome.Result == AttemptResult.Failed) observed.ReadBilledUsage();
        return outcome;
    }

    private static bool PrepareBody(AttemptContext attempt, ForwardCandidate candidate)
    {
        if (candidate.EncodedModel is not { } model)
        {
            attempt.SetBody(attempt.Plan.Body);
            return false;
        }

        var body = attempt.Buffer;
        body.Clear();
        var result = RequestBodyRewriter.Rewrite(attempt.Plan.Body, model, attempt.Plan.Stream, body);
        attempt.SetBody(new ArraySegment<byte>(body.Array, 0, body.Count));
        return result.IncludeUsageAdded;
    }

    /// <summary>
    /// Sets the request's reason for the attempts made so far: the plan's, or
    /// <c>fallback:</c> and the first attempt's failure once the request has moved past it.
    /// </summary>
    private static void RecordReason(ForwardPlan plan, RequestRecord record)
    {
        var firstFailure = record.Attempts.Count > 1 ? record.Attempts[0].Failure : null;
        record.Reason = firstFailure is null ? plan.Reason : string.Concat(Policy.DecisionReasons.FallbackPrefix, firstFailure);
    }

    /// <summary>The decision headers for a candidate, with the reason <see cref="RecordReason"/> last recorded.</summary>
    private static DecisionHeaderValues HeadersFor(ForwardPlan plan, RequestRecord record, ForwardCandidate candidate) =>
        new(plan.Route, candidate.TierName, candidate.Model, plan.Confidence, record.Reason);

    /// <summary>
    /// The client left: nothing more is sent. Before the response started its status becomes 499
    /// (nginx's "client closed request") for the logs, rather than what YARP sets for a cancelled request.
    /// </summary>
    private static void MarkClientAborted(HttpContext context, RequestRecord record)
    {
        record.ClientAborted = true;
        if (!context.Response.HasStarted) context.Response.StatusCode = OpenAIError.ClientClosedRequestStatus;
    }

    /// <summary>
    /// What the last attempt's answer reported before it failed is not the next one's usage, nor the
    /// request's: it moves to that attempt, at its tier's prices, and is added to the request's
    /// cost when an answer's usage is known (<see cref="Usage.CostCalculator"/>): the upstream billed it.
    /// </summary>
    private static void KeepFailedAttemptsUsage(RequestRecord record)
    {
        if (record.Usage is not { } reported || record.Attempts.Count == 0) return;
        record.Attempts[^1].BilledBeforeFailing = (reported, record.Prices);
        record.Usage = null;
    }

    private static void RecordCandidate(RequestRecord record, ForwardCandidate candidate)
    {
        record.Tier = candidate.TierName;
        record.Model = candidate.Model;
        record.Prices = candidate.Prices;
    }

    private static void ResetResponse(HttpContext context)
    {
        var response = context.Response;
        if (response.HasStarted) return;
        response.Headers.Clear();
        response.StatusCode = StatusCodes.Status200OK;
        context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = null; // YARP copies a non-standard one, and only those
        context.Features.Set<IForwarderErrorFeature>(null);
    }

    private object?[] StartAttempt(RequestRecord record, AttemptRecord attempt)
    {
        if (_observers.Length == 0) return [];
        var states = new object?[_observers.Length];
        for (var i = 0; i < _observers.Length; i++) states[i] = _observers[i].OnAttemptStarted(record, attempt);
        return states;
    }

    private void EndAttempt(RequestRecord record, AttemptRecord attempt, object?[] states)
    {
        for (var i = 0; i < _observers.Length; i++) _observers[i].OnAttemptEnded(record, attempt, states[i]);
    }
}
