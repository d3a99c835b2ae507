using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RightSize.OpenAI.Errors;
using RightSize.Server.Observability;
using RightSize.Server.Resilience;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Forwarding;

/// <summary>What one attempt came to, and its log line.</summary>
internal sealed partial class EscalatingForwarder
{
    /// <summary>
    /// The upstream's answer went the client's way (it was not held back). A stream that failed
    /// before <c>[DONE]</c> fails the attempt while nothing has reached the client; once something
    /// has, it is ended with an error event (the upstream's own, when it sent one) and the
    /// connection is cut (<see cref="EndFailedStreamAsync"/>). A held answer that is no OpenAI
    /// answer fails the attempt.
    /// </summary>
    private async Task<AttemptOutcome> FinishForwardedAsync(HttpContext context, RequestRecord record, AttemptRecord attemptRecord, StreamGuard guard, ObservedResponseBody observed)
    {
        attemptRecord.StatusCode = context.Response.StatusCode;
        // Once [DONE] has gone out the answer is whole: a cut after it is no failure.
        if (guard.Failure is { } streamFailure && !observed.SentDone)
        {
            attemptRecord.Failure = streamFailure;
            if (!observed.HasSentBytes) return new AttemptOutcome(AttemptResult.Failed, null, observed.InvalidAnswer ?? AttemptDetails.OfException(guard.FailureCause));

            return await EndFailedStreamAsync(context, record, observed, streamFailure);
        }

        await observed.CompleteAsync(context.RequestAborted);
        if (observed.InvalidAnswer is { } invalid)
        {
            attemptRecord.Failure = AttemptFailures.InvalidAnswer;
            return new AttemptOutcome(AttemptResult.Failed, null, invalid);
        }

        if (observed.ErrorEventAfterFirst)
        {
            // The stream's last event, never closed by an empty line, was an error object.
            attemptRecord.Failure = AttemptFailures.UpstreamError;
            return await EndFailedStreamAsync(context, record, observed, AttemptFailures.UpstreamError);
        }

        return Served(context, record, attemptRecord);
    }

    /// <summary>
    /// Ends a stream that failed after bytes reached the client: with the gateway's error event,
    /// unless the upstream's own already went out (<see cref="ObservedResponseBody.ErrorEventAfterFirst"/>:
    /// nothing after it was passed on, its <c>[DONE]</c> included), then cuts the connection, so a
    /// client that ignores error events (the OpenAI .NET SDK) fails on the transport instead of
    /// taking the stream for complete.
    /// </summary>
    private async Task<AttemptOutcome> EndFailedStreamAsync(HttpContext context, RequestRecord record, ObservedResponseBody observed, string failure)
    {
        if (!observed.ErrorEventAfterFirst) await observed.FailAsync(FailureResponses.StreamError(failure), context.RequestAborted);
        await FailureResponses.CutConnectionAsync(context, timeProvider);
        return StreamFailed(context, record, observed.ErrorEventAfterFirst ? AttemptDetails.ErrorEventAfterFirstByte : AttemptDetails.AfterFirstByte);
    }

    /// <summary>The request's answer had started and ended in a failure: nothing more can go to the client.</summary>
    private static AttemptOutcome StreamFailed(HttpContext context, RequestRecord record, string detail)
    {
        record.StreamFailed = true;
        record.StatusCode = context.Response.StatusCode;
        return new AttemptOutcome(AttemptResult.Done, null, detail);
    }

    /// <summary>The answer reached the client whole.</summary>
    private static AttemptOutcome Served(HttpContext context, RequestRecord record, AttemptRecord attemptRecord)
    {
        attemptRecord.StatusCode = context.Response.StatusCode;
        record.StatusCode = context.Response.StatusCode;
        return new AttemptOutcome(AttemptResult.Done, null);
    }

    /// <summary>
    /// The answer was held back (a 408, 429, 5xx, 3xx, 401 or 403, a model's-limit 400), could not be
    /// decoded, or never came (an exception, the deadline, the client leaving): names the failure.
    /// A failure once bytes had reached the client ends the request where it is.
    /// </summary>
    private static AttemptOutcome Failed(AttemptContext attempt, AttemptRecord attemptRecord, AttemptTransformer transformer, StreamGuard guard, ObservedResponseBody observed, ForwarderError error)
    {
        var (context, record) = (attempt.Context, attempt.Record);
        if (transformer.HeldBackStatus is { } status)
        {
            attemptRecord.StatusCode = status;
            var (failure, detail) = transformer.ModelLimit switch
            {
                ModelLimit.ContextLength => (AttemptFailures.ContextLength, AttemptDetails.ContextLength),
                ModelLimit.UnsupportedParameter => (AttemptFailures.UnsupportedParameter, AttemptDetails.UnsupportedParameter),
                _ => (AttemptFailures.ForStatus(status), null),
            };
            attemptRecord.Failure = failure;
            attemptRecord.RetryAfter = transformer.RetryAfter;
            attemptRecord.ShouldRetry = transformer.ShouldRetry;
            return new AttemptOutcome(AttemptResult.Failed, status == 429 ? transformer.RetryAfter : null, detail);
        }

        if (transformer.UndecodableEncoding is { } encoding)
        {
            attemptRecord.StatusCode = context.Response.StatusCode;
            attemptRecord.Failure = AttemptFailures.UnsupportedEncoding;
            return new AttemptOutcome(AttemptResult.Failed, null, AttemptDetails.Undecodable(encoding));
        }

        // [DONE] has gone out, so the answer is whole: whatever ended the copy after it is no
        // failure, a client that closes at [DONE] before the upstream's body has ended
        // (not a client-abort) as much as an upstream that cuts the connection there.
        if (observed.SentDone) return Served(context, record, attemptRecord);

        // The upstream's error event has gone out and ended the stream: whatever ended the copy
        // after it (a client that raised on the event and left) is that failure, not a client abort.
        if (observed.ErrorEventAfterFirst)
        {
            attemptRecord.StatusCode = context.Response.StatusCode;
            attemptRecord.Failure = AttemptFailures.UpstreamError;
            return StreamFailed(context, record, AttemptDetails.ErrorEventAfterFirstByte);
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        attemptRecord.Failure = context.RequestAborted.IsCancellationRequested ? AttemptFailures.ClientAbort
            : attempt.Stop.IsCancellationRequested ? attempt.StopFailure
            : guard.Failure ?? AttemptFailures.ForError(error, exception);
        if (context.RequestAborted.IsCancellationRequested)
        {
            MarkClientAborted(context, record);
            return new AttemptOutcome(AttemptResult.Done, null);
        }

        if (observed.HasSentBytes || context.Response.HasStarted)
        {
            // YARP has already ended the response (by aborting it): nothing more can reach the client.
            return StreamFailed(context, record, AttemptDetails.AfterFirstByteOf(exception));
        }

        return new AttemptOutcome(AttemptResult.Failed, null);
    }

    /// <summary>
    /// Log event 200 for an attempt with an <c>error.type</c> (<see cref="AttemptFailures.ErrorTypeOf"/>),
    /// so that the log has one line for each failed attempt the attempts metric counts: at Warning
    /// for a failure the gateway met (the request moved on, or its stream was cut after the first
    /// byte); at Information for an upstream's 4xx passed on to the client, most often the client's
    /// own error, as the completion line of a 4xx is. None for a client that left: no upstream failed.
    /// </summary>
    private void LogAttempt(HttpContext context, AttemptRecord attempt, AttemptOutcome outcome)
    {
        var error = AttemptFailures.ErrorTypeOf(attempt);
        var passedOn = outcome.Result == AttemptResult.Done && attempt.Failure is null;
        if (error == AttemptFailures.ClientAbort || (passedOn && error is null)) return; // the client left, or served
        var level = passedOn ? LogLevel.Information : LogLevel.Warning;
        if (!logger.IsEnabled(level)) return;
        var detail = outcome.Detail ?? (passedOn ? AttemptDetails.PassedOn : AttemptDetails.OfException(context.Features.Get<IForwarderErrorFeature>()?.Exception));
        var durationMs = Math.Round(attempt.Duration.TotalMilliseconds, 1);
        Log.AttemptFailed(logger, level, attempt.Upstream, attempt.Tier, durationMs, error ?? "unknown", detail, attempt.UpstreamRequestId ?? "-");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Message = "Upstream {Upstream} failed for tier {Tier} after {DurationMs} ms: {Failure} ({Detail}), upstream request {UpstreamRequestId:l}")]
        public static partial void AttemptFailed(ILogger logger, LogLevel level, string upstream, string tier, double durationMs, string failure, string detail, string upstreamRequestId);
    }
}
