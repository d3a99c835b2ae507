using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Observability;

namespace RightSize.Server.Forwarding;

/// <summary>What the client sees when forwarding fails: one OpenAI-shaped error, or an error event that ends a stream.</summary>
internal static class FailureResponses
{
    /// <summary>
    /// Time given to the error event to reach the client before the connection is cut: the abort
    /// drops whatever Kestrel has not yet handed to the socket. Half a second, so that a gateway too
    /// loaded to send within a tenth of one still sends it; a client that reads the event and
    /// leaves (the Python and Node SDKs raise on it) ends the wait at once.
    /// </summary>
    private static readonly TimeSpan ErrorEventGrace = TimeSpan.FromMilliseconds(500);

    public const string ShouldRetryHeader = "x-should-retry";

    private const string ShutdownMessage = "The gateway is shutting down and could not finish this request; retry it.";

    /// <summary>
    /// Every candidate failed before anything reached the client: 503 when the gateway is shutting
    /// down, 504 after the deadline; else, judged by the <see cref="JudgedAttempts"/>, 504 after
    /// timeouts (the gateway's, or an upstream's own 504 or 408), 503 when the tiers are unavailable (429,
    /// 503, open circuits; with the shortest wait any upstream named as <c>Retry-After</c> in whole
    /// seconds and <c>retry-after-ms</c>, which the OpenAI SDKs read first), else 502. The last
    /// upstream's <c>x-should-retry</c> goes on too: an SDK told not to retry does not run every tier
    /// again; without one, the gateway says <c>false</c> itself when every judged attempt was refused
    /// (<see cref="IsRefusal"/>).
    /// </summary>
    /// <param name="stoppedBy"><c>shutdown</c> or <c>deadline</c> when the request's stop token fired, else null.</param>
    public static async Task WriteAllFailedAsync(HttpContext context, ForwardPlan plan, RequestRecord record, string? stoppedBy)
    {
        var tried = Describe(record);
        var judged = JudgedAttempts(record);
        var allTimeouts = judged.TrueForAll(a => a.Failure is AttemptFailures.Timeout or AttemptFailures.Deadline or AttemptFailures.Upstream504 or AttemptFailures.Upstream408);
        var allUnavailable = judged.TrueForAll(a => a.Failure is not null && AttemptFailures.IsUnavailable(a.Failure));
        OpenAIError error = stoppedBy == AttemptFailures.Shutdown
            ? OpenAIError.ShuttingDown($"{ShutdownMessage} Tried: {tried}.")
            : stoppedBy == AttemptFailures.Deadline
            ? OpenAIError.UpstreamTimeout(string.Create(CultureInfo.InvariantCulture, $"The request did not complete within the route's deadline of {plan.Deadline.TotalSeconds:0.#} s. Tried: {tried}."))
            : allTimeouts ? OpenAIError.UpstreamTimeout($"No upstream answered in time. Tried: {tried}.")
            : allUnavailable ? OpenAIError.UpstreamUnavailable($"No upstream could take the request; try again later. Tried: {tried}.")
            : OpenAIError.UpstreamError($"Every upstream failed. Tried: {tried}.");
        record.StatusCode = error.StatusCode;
        if (stoppedBy is null && record.Attempts is [.., var last])
        {
            if (error.StatusCode == StatusCodes.Status503ServiceUnavailable && ShortestWait(record) is { } wait)
            {
                // The client's SDK backs off by it, and its retry starts from the cheapest tier again.
                context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers[RetryAfterHeader.MillisecondsHeader] = Math.Ceiling(wait.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            }

            var advice = last.ShouldRetry ?? (judged.TrueForAll(IsRefusal) ? false : null);
            if (advice is { } shouldRetry) context.Response.Headers[ShouldRetryHeader] = shouldRetry ? "true" : "false";
        }

        await ErrorResponses.WriteAsync(context, error);
    }

    /// <summary>
    /// The attempts that say what a retry would meet: not those whose model could not take the
    /// request (<c>context-length</c>, <c>unsupported-parameter</c>), which it will not take later
    /// either, so a cheaper tier too small for a long request and a higher tier answering 429 give
    /// the 429's 503 and its wait, not a 502. All of them when every attempt was one.
    /// </summary>
    private static List<AttemptRecord> JudgedAttempts(RequestRecord record)
    {
        var judged = record.Attempts.FindAll(a => !AttemptFailures.IsModelLimit(a.Failure));
        return judged.Count > 0 ? judged : record.Attempts;
    }

    /// <summary>
    /// The soonest any upstream said it may take a call again (<see cref="AttemptRecord.RetryAfter"/>),
    /// or null when none did: a wait is never made up, and one the gateway already waited out before
    /// its own retry is not passed on (the client would wait it again). Not an open circuit's time to its next trial:
    /// while a trial call runs, Polly's wait counts down from the break duration and goes negative
    /// once the trial outlasts it, and the trial may close the circuit at any moment.
    /// </summary>
    private static TimeSpan? ShortestWait(RequestRecord record)
    {
        TimeSpan? shortest = null;
        foreach (var attempt in record.Attempts)
        {
            // A wait the gateway already waited out before trying again is over.
            if (attempt.RetryAfter is { } wait && !attempt.RetryAfterWaited && (shortest is null || wait < shortest)) shortest = wait;
        }

        return shortest;
    }

    /// <summary>
    /// Whether an attempt was refused in a way that a retry does not mend: a 401 or 403 (the
    /// gateway's key) or a 3xx (the upstream's address). When every attempt was, the 502 says
    /// <c>x-should-retry: false</c>, so that the client's SDK does not run the tiers again two or
    /// three times against a key that is refused.
    /// </summary>
    private static bool IsRefusal(AttemptRecord attempt) =>
        attempt.Failure is not null && attempt.StatusCode is { } status && AttemptTransformer.IsRefusal(status);

    /// <summary>The SSE event that ends a stream which failed after it started; the OpenAI SDKs raise on it.</summary>
    public static byte[] StreamError(string failure) => OpenAIErrorWriter.ToSseEventBytes(failure switch
    {
        AttemptFailures.Deadline => OpenAIError.UpstreamTimeout("The response did not complete within the route's deadline."),
        AttemptFailures.Timeout => OpenAIError.UpstreamTimeout("The upstream went silent after the response started, for longer than the gateway waits."),
        AttemptFailures.Shutdown => OpenAIError.ShuttingDown(ShutdownMessage),
        _ => OpenAIError.UpstreamError($"The upstream response failed after it started ({failure})."),
    });

    /// <summary>
    /// Cuts the client's connection after the error event had time to arrive: a client that ignores
    /// error events (the OpenAI .NET SDK does) then fails on the transport instead of taking the
    /// stream for complete.
    /// </summary>
    public static async Task CutConnectionAsync(HttpContext context, TimeProvider timeProvider)
    {
        try
        {
            await Task.Delay(ErrorEventGrace, timeProvider, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        context.Abort();
    }

    /// <summary>
    /// Each attempt as <c>tier: model (failure)</c>; an attempt outside the tiers (passthrough,
    /// embeddings) without the tier. Upstream names stay in the gateway's logs: they are the
    /// operator's, not the client's.
    /// </summary>
    private static string Describe(RequestRecord record)
    {
        var text = new StringBuilder();
        foreach (var attempt in record.Attempts)
        {
            if (text.Length > 0) text.Append(", ");
            if (attempt.Tier != AttemptRecord.PassthroughTier) text.Append(attempt.Tier).Append(": ");
            text.Append(attempt.Model).Append(" (").Append(attempt.Failure ?? "failed").Append(')');
        }

        return text.ToString();
    }
}
