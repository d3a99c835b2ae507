using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Json;
using RightSize.Server.Buffers;

namespace RightSize.Server.Endpoints;

/// <summary>
/// Reads a request body into a pooled buffer, refusing anything over the limit with a 413 before
/// or while reading, and anything the shared <see cref="RequestBodyBudget"/> has no room for with
/// a 503, as the bytes arrive. The limit is at most the budget's size, so that no body is told to
/// retry when it could never fit (a reload can raise <c>MaxRequestBodyBytes</c>; the budget is
/// read at start-up). A body the server cannot read (broken chunked framing, too slow) is the
/// client's 400 or 408, and so is one not whole within <c>Gateway:RequestBodyTimeout</c> of its
/// first bytes (the connection is then closed: the rest of the body is not waited for); a client that goes away
/// while sending gets a 499 for the logs. A leading UTF-8 byte order mark is dropped.
/// </summary>
internal static class RequestBodyReader
{
    public static async Task<OpenAIError?> ReadAsync(HttpRequest request, int limit, TimeSpan timeout, RequestBodyBudget.Lease lease, PooledBuffer output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(output);
        limit = (int)Math.Min(limit, lease.Capacity);
        if (request.ContentLength is { } declared && declared > limit) return OpenAIError.RequestTooLarge(limit);

        // The server has a body limit of its own (Kestrel: 30 MB by default); the gateway's is the
        // one that counts, so lift the server's to one byte over it (to see a body go over).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit) serverLimit.MaxRequestBodySize = limit + 1L;

        // Armed once bytes have come and more are needed: most bodies arrive in one read, and a body
        // that stalls before its first bytes is Kestrel's to cut (its minimum data rate).
        CancellationTokenSource? deadline = null;
        try
        {
            while (true)
            {
                // A body of its declared length is whole: one more read, only to see it end, would
                // ask a full buffer for more room and double it (a 4 MiB body would take 8 MiB).
                if (request.ContentLength is { } complete && output.Count >= complete) break;
                var memory = output.GetMemory(request.ContentLength is { } length ? (int)Math.Min(length - output.Count, 64 * 1024) : 16 * 1024);
                if (output.Count > 0) deadline ??= Deadline(timeout, cancellationToken);
                var read = await request.Body.ReadAsync(memory, deadline?.Token ?? cancellationToken);
                if (read == 0) break;
                output.Advance(read);
                if (output.Count > limit) return OpenAIError.RequestTooLarge(limit);
                if (!lease.TryHold(output.Count)) return OpenAIError.GatewayBusy();
            }
        }
        catch (BadHttpRequestException e) when (!EndedEarly(request, e, output.Count))
        {
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge ? OpenAIError.RequestTooLarge(limit) : OpenAIError.UnreadableBody(e.StatusCode);
        }
        catch (OperationCanceledException) when (deadline is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            request.HttpContext.Response.Headers.Connection = "close";
            return OpenAIError.BodyTimedOut(timeout);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client is gone (a reset, an abort, or a close before the body's end): end the
            // connection too, so that Kestrel does not try to drain a body whose read was cut
            // short (it logs that as an error).
            request.HttpContext.Abort();
            return OpenAIError.ClientClosedRequest();
        }
        finally
        {
            deadline?.Dispose();
        }

        // JSON senders must not add a byte order mark (RFC 8259 §8.1): any are dropped here, so that
        // a body forwarded unchanged (pass-through, embeddings) does not carry it to an upstream
        // that would refuse it.
        var marks = output.Count - Utf8Bom.Trim(output.WrittenSpan).Length;
        if (marks > 0) output.DiscardPrefix(marks);
        return output.Count == 0 ? OpenAIError.InvalidJson("The request body is empty; send a JSON object.") : null;
    }

    private static CancellationTokenSource Deadline(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return deadline;
    }

    /// <summary>
    /// Whether the server's 400 says the client closed its side (a FIN) before the body was all
    /// sent: Kestrel's "Unexpected end of request content", whose reason it does not expose. With
    /// a Content-Length, a 400 before that many bytes arrived can mean nothing else (a framing
    /// error needs chunked framing); a chunked body counts once the server has marked the request
    /// aborted, which it does for a FIN too, though not always before the read fails.
    /// </summary>
    private static bool EndedEarly(HttpRequest request, BadHttpRequestException exception, long received) =>
        exception.StatusCode == StatusCodes.Status400BadRequest
        && ((request.ContentLength is { } declared && received < declared) || request.HttpContext.RequestAborted.IsCancellationRequested);
}
