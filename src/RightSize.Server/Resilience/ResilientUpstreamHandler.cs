using Polly;
using Polly.Timeout;

namespace RightSize.Server.Resilience;

/// <summary>
/// Runs the send of one upstream's requests (up to the response headers) through that upstream's
/// pipeline, inside the request's deadline (and the gateway's shutdown cutoff), and guards the response body that follows.
/// </summary>
internal sealed class ResilientUpstreamHandler(ResiliencePipeline<HttpResponseMessage> pipeline, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(StreamGuard.OptionsKey, out var guard)) return await SendThroughPipelineAsync(request, null, cancellationToken);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, guard.Stop);
        var response = await SendThroughPipelineAsync(request, new Watch(guard, cancellationToken), linked.Token);
        response.Content = new GuardedContent(response.Content, guard);
        return response;
    }

    private Task<HttpResponseMessage> SendThroughPipelineAsync(HttpRequestMessage request, Watch? watch, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendInner(state.Request, state.Watch, token)),
            (Handler: this, Request: request, Watch: watch),
            cancellationToken).AsTask();

    /// <summary>
    /// Sends once. The forwarder's token carries its activity timeout, which also runs while the
    /// headers are awaited: when that timer, and not the client, the deadline or the pipeline's own
    /// timeout, ends the wait, the upstream was silent too long, so it leaves as a timeout that the
    /// circuit breaker counts (a plain cancellation counts as the client's, never the upstream's).
    /// </summary>
    private async Task<HttpResponseMessage> SendInner(HttpRequestMessage request, Watch? watch, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (watch is { } w && w.Forwarder.IsCancellationRequested && !w.Guard.ClientLeft && !w.Guard.Stop.IsCancellationRequested)
        {
            throw new TimeoutRejectedException("The upstream sent no response headers within the gateway's UpstreamActivityTimeout.");
        }
    }

    /// <summary>What tells an activity timeout from the other cancellations: the forwarder's own token and the attempt's guard.</summary>
    private readonly record struct Watch(StreamGuard Guard, CancellationToken Forwarder);
}
