using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Observability;

namespace RightSize.Server.Forwarding;

/// <summary>What the client sees when forwarding fails: one OpenAI-shaped error, or an error event that ends a stream.</summary>
internal static class FailureResponses
{
    /// <summary>Every candidate failed before anything reached the client: 504 after timeouts, 503 when the tiers are unavailable, else 502.</summary>
    public static async Task WriteAllFailedAsync(HttpContext context, ForwardPlan plan, RequestRecord record, bool deadlinePassed)
    {
        var tried = Describe(record);
        var allTimeouts = record.Attempts.TrueForAll(a => a.Failure is AttemptFailures.Timeout or AttemptFailures.Deadline);
        var allUnavailable = record.Attempts.TrueForAll(a => a.Failure is not null && AttemptFailures.IsUnavailable(a.Failure));
        OpenAIError error = deadlinePassed
            ? OpenAIError.UpstreamTimeout(string.Create(CultureInfo.InvariantCulture, $"The request did not complete within the route's deadline of {plan.Deadline.TotalSeconds:0.#} s. Tried: {tried}."))
            : allTimeouts ? OpenAIError.UpstreamTimeout($"No upstream answered in time. Tried: {tried}.")
            : allUnavailable ? OpenAIError.UpstreamUnavailable($"No upstream could take the request; try again later. Tried: {tried}.")
            : OpenAIError.UpstreamError($"Every upstream failed. Tried: {tried}.");
        record.StatusCode = error.StatusCode;
        await ErrorResponses.WriteAsync(context, error);
    }

    /// <summary>
    /// The response already started: end a stream with an SSE error event (which the OpenAI SDKs
    /// raise) and cut the connection, so no client can take the stream for complete.
    /// </summary>
    public static async Task EndStreamAsync(HttpContext context, RequestRecord record, string failure)
    {
        record.StreamFailed = true;
        record.StatusCode = context.Response.StatusCode;
        var error = failure == AttemptFailures.Deadline
            ? OpenAIError.UpstreamTimeout("The response did not complete within the route's deadline.")
            : OpenAIError.UpstreamError($"The upstream response failed after it started ({failure}).");
        try
        {
            if (record.Stream)
            {
                await context.Response.Body.WriteAsync(OpenAIErrorWriter.ToSseEventBytes(error), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away while we were ending the stream: nothing more to tell it.
        }

        context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        context.Abort();
    }

    private static string Describe(RequestRecord record)
    {
        var text = new StringBuilder();
        foreach (var attempt in record.Attempts)
        {
            if (text.Length > 0) text.Append(", ");
            text.Append(attempt.Tier).Append(" (").Append(attempt.Failure ?? "failed").Append(')');
        }

        return text.ToString();
    }
}
