using Microsoft.AspNetCore.Http;
using RightSize.Upstream.Simulator.Protocol;

namespace RightSize.Upstream.Simulator.Handling;

/// <summary>The bytes of a request body that arrived, and the error to answer when the server rejected the rest.</summary>
internal sealed record ReceivedBody(ReadOnlyMemory<byte> Bytes, ApiError? Error)
{
    public static ReceivedBody Empty { get; } = new(ReadOnlyMemory<byte>.Empty, null);
}

/// <summary>Reads a whole request body without trusting the client's <c>Content-Length</c>.</summary>
internal static class RequestBodyReader
{
    /// <summary>
    /// The most the buffer reserves up front. A client may declare any Content-Length
    /// (2147483647 would be a 2 GB allocation); the buffer grows with what actually arrives.
    /// </summary>
    private const int MaxInitialCapacity = 64 * 1024;

    /// <summary>
    /// Reads the body. A body the server rejects (larger than its limit, too slow, malformed
    /// chunking) gives what arrived and an OpenAI-shaped error; a client that went away throws.
    /// </summary>
    public static async Task<ReceivedBody> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength == 0)
        {
            return ReceivedBody.Empty;
        }

        var capacity = request.ContentLength is { } length ? (int)Math.Min(length, MaxInitialCapacity) : 1024;
        using var buffer = new MemoryStream(capacity);
        try
        {
            await request.Body.CopyToAsync(buffer, ct);
            return new ReceivedBody(buffer.ToArray(), null);
        }
        catch (BadHttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            return new ReceivedBody(buffer.ToArray(), ApiError.RejectedBody(ex.StatusCode, ex.Message));
        }
    }
}
