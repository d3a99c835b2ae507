using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Buffers;

namespace RightSize.Server.Endpoints;

/// <summary>
/// Reads a request body into a pooled buffer, refusing anything over the limit with a 413 before
/// or while reading. A body the server cannot read (broken chunked framing, cut short, too slow)
/// is the client's 400 or 408; a client that goes away while sending gets a 499 for the logs.
/// </summary>
public static class RequestBodyReader
{
    public static async Task<OpenAIError?> ReadAsync(HttpRequest request, int limit, PooledBuffer output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        if (request.ContentLength is { } declared && declared > limit) return OpenAIError.RequestTooLarge(limit);

        try
        {
            while (true)
            {
                var memory = output.GetMemory(request.ContentLength is { } length ? (int)Math.Min(length - output.Count, 64 * 1024) : 16 * 1024);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0) break;
                output.Advance(read);
                if (output.Count > limit) return OpenAIError.RequestTooLarge(limit);
            }
        }
        catch (BadHttpRequestException e)
        {
            return OpenAIError.UnreadableBody(e.StatusCode);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client is gone: end the connection too, so that Kestrel does not try to drain a
            // body whose read was cut short (it logs that as an error).
            request.HttpContext.Abort();
            return OpenAIError.ClientClosedRequest();
        }

        return output.Count == 0 ? OpenAIError.InvalidJson("The request body is empty; send a JSON object.") : null;
    }
}
