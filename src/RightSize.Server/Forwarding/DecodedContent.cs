using Microsoft.Net.Http.Headers;
using RightSize.Server.Resilience;

namespace RightSize.Server.Forwarding;

/// <summary>
/// An upstream response body the upstream compressed although the gateway asked for
/// <c>identity</c>, read decoded (<see cref="ContentCodings"/>), so the gateway sees SSE events
/// and usage as from any other upstream. It carries the upstream's content headers but
/// <c>Content-Encoding</c> and <c>Content-Length</c>, which described the encoded bytes: YARP
/// copies these headers to the client's response.
/// </summary>
internal sealed class DecodedContent : UpstreamBodyContent
{
    private readonly string[] _codings;
    private readonly StreamGuard _guard;

    /// <param name="encoded">The body as the upstream sent it.</param>
    /// <param name="codings">The codings it applied, in order; every one decodable (<see cref="ContentCodings.CanDecode"/>).</param>
    /// <param name="guard">The attempt's guard, where a body that does not decode is recorded as a failure; its <see cref="StreamGuard.EventStream"/> is already set (<see cref="GuardedContent"/>).</param>
    public DecodedContent(HttpContent encoded, string[] codings, StreamGuard guard)
        : base(encoded)
    {
        _codings = codings;
        _guard = guard;
        CopyHeaders(HeaderNames.ContentEncoding, HeaderNames.ContentLength);
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new DecodedStream(ContentCodings.Decode(await Inner.ReadAsStreamAsync(cancellationToken), _codings), _guard, _guard.EventStream);
}
