using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using RightSize.OpenAI.Errors;
using RightSize.Server.Resilience;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Sends one attempt to its upstream path with the upstream's own key: the client's
/// <c>Authorization</c> (with the <c>OpenAI-Organization</c> and <c>OpenAI-Project</c> that go with
/// it), a key in another provider's header (<see cref="CredentialHeaders"/>) or in the query
/// string (<see cref="QueryCredentials"/>) and the gateway's own <c>x-rightsize-*</c> headers
/// never leave the gateway. A 408, 429 or 5xx answer is held back (its body is not copied) so the
/// forwarder can try the next tier, and so are a 3xx and a 401 or 403 (<see cref="IsHeldBack"/>);
/// any other answer gets the decision headers, written over
/// whatever the upstream sent. The client's <c>Accept-Encoding</c> is replaced with
/// <c>identity</c>: the gateway reads usage and SSE events from the body, so the upstream must
/// answer uncompressed (with no header at all, any coding would be acceptable, RFC 9110 §12.5.3).
/// An upstream that compresses anyway has its body decoded (<see cref="ContentCodings"/>), or, in a
/// coding the gateway cannot decode, held back. While a higher tier is left, a 400 saying a limit of
/// the model (<see cref="ModelLimitError"/>: the request does not fit its context window, or it
/// does not take one of the request's parameters) is held back too: the gateway chose that tier,
/// and a larger model may take the request. Cookies stay on their
/// own side: the client's <c>Cookie</c> is not sent upstream, and an upstream's <c>Set-Cookie</c>
/// (a provider's edge session, meaningless under the gateway's host, where it would follow the
/// client to every other provider's route) is not returned, nor is its
/// <c>Strict-Transport-Security</c>. Headers named in a <c>Connection</c> header (RFC 9110 §7.6.1)
/// belong to one connection and are not forwarded, in either direction, with one limit on the
/// client's side: Kestrel rewrites a request's <c>Connection</c> that carries <c>close</c>,
/// <c>keep-alive</c> or <c>upgrade</c> to that token alone before the gateway sees it, so a header
/// named beside one of them is forwarded (docs/architecture.md).
/// </summary>
/// <param name="higherTierLeft">Whether another candidate follows this one, so a model's-limit 400 is worth holding back.</param>
internal sealed class AttemptTransformer(ForwardCandidate candidate, string apiPath, DecisionHeaderValues decision, StreamGuard guard, TimeProvider clock, bool higherTierLeft) : HttpTransformer
{
    /// <summary>The most of a 400's body read to see whether it says a limit of the model: such bodies are a few hundred bytes.</summary>
    private const int MaxInspectedErrorBytes = 64 * 1024;

    // The account and project of the client's key: beside the upstream's own key they would name another account.
    private const string OrganizationHeader = "OpenAI-Organization";
    private const string ProjectHeader = "OpenAI-Project";

    /// <summary>What every forwarded body is declared as: the gateway has read it as UTF-8 JSON.</summary>
    private const string JsonMediaType = "application/json";

    /// <summary>
    /// Response headers about the upstream's own host, which would be wrongly kept for the gateway's:
    /// <c>Set-Cookie</c> (above), and <c>Strict-Transport-Security</c>, which behind a TLS ingress
    /// would pin the gateway's domain (and, with <c>includeSubDomains</c>, its subdomains) to HTTPS
    /// for as long as the provider says. YARP itself drops <c>Alt-Svc</c> and the hop-by-hop headers.
    /// And OpenAI's <c>openai-organization</c> and <c>openai-project</c>, which name the account of
    /// the gateway's key: the operator's, not the client's business. And <c>Authorization</c> and
    /// <c>Proxy-Authorization</c>, request headers that have no place on an answer: an upstream that
    /// echoes the gateway's key back in one must not hand it to the client (YARP drops
    /// <c>Proxy-Authorization</c> itself, as hop-by-hop).
    /// The upstream's <c>x-rightsize-*</c> headers go too, by prefix (<see cref="DecisionHeaderValues.WriteTo"/>).
    /// </summary>
    private static readonly string[] UpstreamOnlyResponseHeaders = [HeaderNames.SetCookie, HeaderNames.StrictTransportSecurity, OrganizationHeader, ProjectHeader, HeaderNames.Authorization, HeaderNames.ProxyAuthorization];

    /// <summary>The status of an answer held back for the next candidate (<see cref="IsHeldBack"/>, or a model's-limit 400), when there was one.</summary>
    public int? HeldBackStatus { get; private set; }

    /// <summary>The limit of the model a held-back 400 said (<see cref="ModelLimitError"/>), or <see cref="ModelLimit.None"/>.</summary>
    public ModelLimit ModelLimit { get; private set; }

    /// <summary>The wait the upstream asked for with a held-back answer, when it asked for one (<see cref="RetryAfterHeader"/>).</summary>
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>The upstream's <c>x-should-retry</c> on a held-back answer (OpenAI's advice to its SDKs), when it sent a boolean.</summary>
    public bool? ShouldRetry { get; private set; }

    /// <summary>
    /// The codings of an answer compressed in a way the gateway cannot undo (<c>zstd</c>, say), when
    /// the upstream sent one: it is held back like a 5xx, since the client, whose own
    /// <c>Accept-Encoding</c> never reached the upstream, may not read it either, and the gateway
    /// could read neither its usage nor its events.
    /// </summary>
    public string? UndecodableEncoding { get; private set; }

    /// <summary>Whether the answer was held back (not copied to the client) for the next candidate.</summary>
    public bool HeldBack => HeldBackStatus is not null || UndecodableEncoding is not null;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var headers = proxyRequest.Headers;
        RemoveConnectionOptions(httpContext.Request.Headers.Connection, headers, proxyRequest.Content?.Headers);
        headers.Host = null;
        headers.Authorization = null;
        foreach (var header in CredentialHeaders.Names) headers.Remove(header);
        headers.Remove(OrganizationHeader);
        headers.Remove(ProjectHeader);
        headers.Remove(HeaderNames.Cookie);
        headers.Remove(HeaderNames.AcceptEncoding);
        headers.TryAddWithoutValidation(HeaderNames.AcceptEncoding, "identity");
        RemoveControlHeaders(headers);
        headers.Remove(HeaderNames.Expect); // the gateway read the whole body before forwarding: the expectation was its own to meet
        SetBodyFraming(httpContext.Request, proxyRequest);
        if (candidate.Upstream.Authorization is { } authorization)
        {
            headers.TryAddWithoutValidation(HeaderNames.Authorization, authorization);
        }

        proxyRequest.Options.Set(StreamGuard.OptionsKey, guard);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(candidate.Upstream.BaseUrl, new PathString(apiPath), QueryCredentials.Remove(httpContext.Request.QueryString));
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null) UpstreamRequestId = UpstreamRequestIds.Read(proxyResponse.Headers);
        if (proxyResponse is not null && IsHeldBack(proxyResponse.StatusCode))
        {
            HeldBackStatus = (int)proxyResponse.StatusCode;
            RetryAfter = RetryAfterHeader.Read(proxyResponse.Headers, clock.GetUtcNow());
            ShouldRetry = proxyResponse.Headers.TryGetValues(FailureResponses.ShouldRetryHeader, out var advice) && bool.TryParse(advice.FirstOrDefault(), out var retry) ? retry : null;
            return ValueTask.FromResult(false);
        }

        return CopyWithDecisionAsync(httpContext, proxyResponse, cancellationToken);
    }

    /// <summary>The upstream's <c>x-request-id</c> on its answer, held back or not (<see cref="UpstreamRequestIds"/>).</summary>
    public string? UpstreamRequestId { get; private set; }

    /// <summary>
    /// Whether an answer with this status is never the client's: a 429 or 5xx (another tier may
    /// answer); a 408, the upstream's own timeout on the gateway's request (the OpenAI SDKs retry it
    /// too), which says nothing about the client's request, and passed on would make the client's
    /// SDK retry the same tier; a 3xx, since redirects are not followed and its <c>Location</c>
    /// names the upstream's own address; and a 401 or 403, which refuse the gateway's key or its
    /// permissions (the client's own key never reaches an upstream), and whose body may quote part
    /// of that key.
    /// </summary>
    internal static bool IsHeldBack(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500 || IsRefusal((int)status);

    /// <summary>Whether a status refuses the gateway's key or permissions (401, 403) or points elsewhere (3xx): a retry does not mend it.</summary>
    internal static bool IsRefusal(int status) => status is 401 or 403 or (>= 300 and < 400);

    private async ValueTask<bool> CopyWithDecisionAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse?.Content is { } content && ContentCodings.Of(content.Headers) is { Length: > 0 } codings)
        {
            if (!ContentCodings.CanDecode(codings))
            {
                UndecodableEncoding = string.Join(", ", codings);
                return false;
            }

            // YARP reads the body only after this transform, so it copies the decoded one.
            proxyResponse.Content = new DecodedContent(content, codings, guard);
        }

        if (higherTierLeft && proxyResponse is { StatusCode: System.Net.HttpStatusCode.BadRequest, Content: { } errorContent }
            && await HoldBackBadRequestAsync(errorContent, cancellationToken))
        {
            return false;
        }

        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null) RemoveConnectionOptions(proxyResponse.Headers.Connection, httpContext.Response.Headers);
        foreach (var header in UpstreamOnlyResponseHeaders) httpContext.Response.Headers.Remove(header);
        decision.WriteTo(httpContext.Response.Headers);
        return copyBody;
    }

    /// <summary>
    /// Reads a 400's body into the content's own buffer (YARP then copies it from there) and holds
    /// the answer back when it says a limit of the model (<see cref="ModelLimitError"/>). The read is guarded as YARP's own copy is
    /// (<see cref="UpstreamBodyContent"/>): a cut, a stall or the deadline fails the attempt as such.
    /// A body declared longer than such errors are is passed on unread; one that turns out longer is
    /// no such error either, but can no longer be passed on, so it is held back as an
    /// ordinary <c>upstream-400</c>.
    /// </summary>
    /// <returns>Whether the answer is held back.</returns>
    private async ValueTask<bool> HoldBackBadRequestAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxInspectedErrorBytes) return false;
        try
        {
            await content.LoadIntoBufferAsync(MaxInspectedErrorBytes, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            // Over the limit; a failed read is no such error, and goes on as a failed attempt.
            HeldBackStatus = StatusCodes.Status400BadRequest;
            return true;
        }

        ModelLimit = ModelLimitError.Classify(await content.ReadAsByteArrayAsync(cancellationToken));
        if (ModelLimit == ModelLimit.None) return false;
        HeldBackStatus = StatusCodes.Status400BadRequest;
        return true;
    }

    /// <summary>
    /// The body goes upstream as the gateway read and rewrote it, with its exact length: YARP keeps a
    /// chunked client's framing (it sends chunked, and passes the client's <c>Trailer</c>
    /// announcement of trailers it never sends), which some upstreams refuse. It is declared as
    /// <c>application/json</c> whatever the client called it (nothing, <c>text/json</c>,
    /// <c>application/*+json</c>, a charset): the gateway has read it as UTF-8 JSON, and an upstream
    /// need not be as lenient (servers built on FastAPI, such as vLLM, answer <c>text/json</c> with a 422).
    /// </summary>
    private static void SetBodyFraming(HttpRequest request, HttpRequestMessage proxyRequest)
    {
        proxyRequest.Headers.Remove(HeaderNames.Trailer);
        if (proxyRequest.Content is not { } content) return;
        if (request.ContentLength is { } length) content.Headers.ContentLength = length;
        content.Headers.Remove(HeaderNames.ContentType);
        content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, JsonMediaType);
    }

    /// <summary>
    /// Removes from the outgoing request every header named <c>x-rightsize-*</c>
    /// (<see cref="DecisionHeaderValues.Prefix"/>), in any case: they are the gateway's, which has
    /// read <c>x-rightsize-tier</c> from the client's own request already.
    /// </summary>
    private static void RemoveControlHeaders(HttpRequestHeaders headers)
    {
        List<string>? names = null;
        foreach (var header in headers.NonValidated)
        {
            if (header.Key.StartsWith(DecisionHeaderValues.Prefix, StringComparison.OrdinalIgnoreCase)) (names ??= []).Add(header.Key);
        }

        if (names is null) return;
        foreach (var name in names) headers.Remove(name);
    }

    /// <summary>
    /// Removes from the outgoing request the headers the client named in its <c>Connection</c>
    /// header, as Kestrel shows it: with only the token when it carried <c>close</c>,
    /// <c>keep-alive</c> or <c>upgrade</c> (the raw tokens are not kept).
    /// </summary>
    private static void RemoveConnectionOptions(StringValues connection, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        foreach (var value in connection)
        {
            foreach (var option in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // The body's length is the gateway's own (the body is re-framed), whatever the client says of it.
                if (string.Equals(option, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)) continue;
                if (headers.NonValidated.Contains(option)) headers.Remove(option);
                if (contentHeaders is not null && contentHeaders.NonValidated.Contains(option)) contentHeaders.Remove(option);
            }
        }
    }

    /// <summary>Removes from the client's response the headers the upstream named in its <c>Connection</c> header.</summary>
    private static void RemoveConnectionOptions(HttpHeaderValueCollection<string> connection, IHeaderDictionary headers)
    {
        foreach (var option in connection)
        {
            if (!string.Equals(option, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)) headers.Remove(option);
        }
    }
}
