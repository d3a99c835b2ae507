using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Sends the request to the chosen upstream path with the upstream's own key: the client's
/// <c>Authorization</c> and the gateway's control headers never leave the gateway. Adds the
/// decision headers to the response.
/// </summary>
internal sealed class UpstreamTransformer(ForwardTarget target) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var headers = proxyRequest.Headers;
        headers.Host = null;
        headers.Authorization = null;
        headers.Remove("api-key");
        headers.Remove(HeaderNames.Cookie);
        headers.Remove(DecisionHeaderValues.TierHeader);
        if (target.Upstream.Authorization is { } authorization)
        {
            headers.TryAddWithoutValidation(HeaderNames.Authorization, authorization);
        }

        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(target.Upstream.BaseUrl, new PathString(target.ApiPath), httpContext.Request.QueryString);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        target.Headers.WriteTo(httpContext.Response.Headers);
        return copyBody;
    }
}
