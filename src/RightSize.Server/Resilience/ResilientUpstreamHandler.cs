using Polly;

namespace RightSize.Server.Resilience;

/// <summary>
/// Runs the send of one upstream's requests (up to the response headers) through that upstream's
/// pipeline, inside the request's deadline (and the gateway's shutdown cutoff), and guards the response body that follows.
/// </summary>
internal sealed class ResilientUpstreamHandler(ResiliencePipeline<HttpResponseMessage> pipeline, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(StreamGuard.OptionsKey, out var guard)) return await SendThroughPipelineAsync(request, cancellationToken);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, guard.Stop);
        var response = await SendThroughPipelineAsync(request, linked.Token);
        response.Content = new GuardedContent(response.Content, guard);
        return response;
    }

    private Task<HttpResponseMessage> SendThroughPipelineAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendInner(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken).AsTask();

    private Task<HttpResponseMessage> SendInner(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);
}
