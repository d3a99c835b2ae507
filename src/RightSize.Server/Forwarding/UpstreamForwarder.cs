using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using RightSize.OpenAI.Errors;
using RightSize.Server.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Forwards one request through YARP's <see cref="IHttpForwarder"/>: the response, streaming or
/// not, is copied to the client as it arrives, never buffered. A failure before the response
/// started becomes an OpenAI-shaped 502/504.
/// </summary>
public sealed partial class UpstreamForwarder(IHttpForwarder forwarder, ForwardingHttpClient client, GatewaySnapshotStore store, ILogger<UpstreamForwarder> logger)
{
    public async Task<ForwarderError> ForwardAsync(HttpContext context, ForwardTarget target)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        request.Body = new MemoryStream(target.Body.Array!, target.Body.Offset, target.Body.Count, writable: false);
        request.ContentLength = target.Body.Count;
        request.Headers.Remove(HeaderNames.TransferEncoding);

        var config = new ForwarderRequestConfig { ActivityTimeout = store.Current.UpstreamActivityTimeout };
        var error = await forwarder.SendAsync(context, target.Upstream.BaseUrl, client.Invoker, config, new UpstreamTransformer(target), context.RequestAborted);
        if (error != ForwarderError.None)
        {
            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            Log.ForwardFailed(logger, target.Upstream.Name, error, exception?.GetType().Name ?? "none");
            if (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var failure = error == ForwarderError.RequestTimedOut ? OpenAIError.UpstreamTimeout() : OpenAIError.UpstreamError();
                target.Headers.WriteTo(context.Response.Headers);
                await ErrorResponses.WriteAsync(context, failure);
            }
        }

        return error;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Forwarding to upstream {Upstream} failed: {Error} ({ExceptionType})")]
        public static partial void ForwardFailed(ILogger logger, string upstream, ForwarderError error, string exceptionType);
    }
}
