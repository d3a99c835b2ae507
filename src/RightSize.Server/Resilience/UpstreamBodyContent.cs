using System.Net;

namespace RightSize.Server.Resilience;

/// <summary>
/// The base of the gateway's views of an upstream response body (<see cref="GuardedContent"/>,
/// <c>DecodedContent</c>). Every way of reading the body (YARP's <c>ReadAsStreamAsync</c>, or
/// <c>LoadIntoBufferAsync</c> and <c>CopyToAsync</c>, which serialize it) goes through the view's
/// own read stream with the caller's token, so the attempt's guard (its deadline, the client
/// leaving, the activity timeout) applies to each of them. The length is unknown; disposing the
/// view disposes the body it wraps.
/// </summary>
internal abstract class UpstreamBodyContent(HttpContent inner) : HttpContent
{
    protected HttpContent Inner { get; } = inner;

    protected abstract override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken);

    /// <summary>Copies the wrapped body's content headers as the upstream sent them (not parsed), but <paramref name="except"/>.</summary>
    protected void CopyHeaders(params ReadOnlySpan<string> except)
    {
        foreach (var header in Inner.Headers.NonValidated)
        {
            if (!Excepted(header.Key, except)) Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    private static bool Excepted(string name, ReadOnlySpan<string> except)
    {
        foreach (var excepted in except)
        {
            if (string.Equals(name, excepted, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var body = await CreateContentReadStreamAsync(cancellationToken);
        await body.CopyToAsync(stream, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
