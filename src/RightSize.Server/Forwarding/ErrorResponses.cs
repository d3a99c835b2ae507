using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RightSize.OpenAI.Errors;
using RightSize.Server.Buffers;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Writes an OpenAI-shaped error as the whole response; sets only the status (for the logs) when
/// the client has gone. The response carries the gateway's request id in <c>x-request-id</c>, where
/// OpenAI puts its own and the SDKs read it (<c>_request_id</c>, <c>requestID</c>): it is the
/// <c>RequestId</c> of the completion log line, so a user who quotes it leads the operator there.
/// </summary>
internal static class ErrorResponses
{
    public const string RequestIdHeader = "x-request-id";

    public static async Task WriteAsync(HttpContext context, OpenAIError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var response = context.Response;
        if (response.HasStarted) return;
        response.StatusCode = error.StatusCode;
        if (context.RequestAborted.IsCancellationRequested || error.StatusCode == OpenAIError.ClientClosedRequestStatus) return;
        response.ContentType = OpenAIErrorWriter.ContentType;
        if (error.Allow is { } allow) response.Headers.Allow = allow;
        response.Headers[RequestIdHeader] = context.TraceIdentifier;
        LetServerDiscardUnreadBody(context);
        using var buffer = new PooledBuffer(512);
        OpenAIErrorWriter.Write(error, buffer);
        response.ContentLength = buffer.Count;
        try
        {
            await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away while the error was being written: there is no one to tell.
        }
    }

    /// <summary>
    /// An error answered before the request body was read (an unknown URL, a body declared over the
    /// limit): an HTTP/1.1 client such as the OpenAI SDKs sends its whole body before it reads the
    /// answer, so the server must read and discard it after the answer. Over the server's own limit
    /// (Kestrel: 30,000,000 bytes) it would close the connection instead, and the client would see a
    /// broken connection (and retry, sending the body again) rather than this error. So the limit is
    /// raised to the declared length; a body of unknown length (chunked) keeps the server's limit.
    /// </summary>
    private static void LetServerDiscardUnreadBody(HttpContext context)
    {
        if (context.Request.ContentLength is not { } declared) return;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false, MaxRequestBodySize: { } limit } bodyLimit && declared > limit)
        {
            bodyLimit.MaxRequestBodySize = declared;
        }
    }
}
