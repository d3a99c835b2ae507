using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Requests;
using RightSize.OpenAI.Rewriting;
using RightSize.Server.Buffers;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Policy;
using RightSize.Server.Routing;

namespace RightSize.Server.Endpoints;

/// <summary>
/// Serves the routed OpenAI operations: bounded body read, parse, route selection, policy,
/// model rewrite, forward. Bad input is answered here and never reaches an upstream.
/// </summary>
public sealed class ProxyRequestHandler(GatewaySnapshotStore store, RoutePolicy policy, UpstreamForwarder forwarder)
{
    public async Task HandleAsync(HttpContext context, OpenAIOperation operation, RouteModel? pathRoute)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await ErrorResponses.WriteAsync(context, OpenAIError.MethodNotAllowed(context.Request.Method, "POST"));
            return;
        }

        var snapshot = store.Current;
        using var body = new PooledBuffer(RequestSizeHint(context.Request, snapshot));
        var error = await RequestBodyReader.ReadAsync(context.Request, snapshot.MaxRequestBodyBytes, body, context.RequestAborted);
        ParsedRequest? request = null;
        if (error is not null || !TryParse(operation, body.WrittenSpan, out request, out error))
        {
            await ErrorResponses.WriteAsync(context, error!);
            return;
        }

        var selection = RouteSelector.Select(snapshot, pathRoute, request!.Model);
        if (selection.Error is { } selectionError)
        {
            await ErrorResponses.WriteAsync(context, selectionError);
            return;
        }

        if (selection.Passthrough is { } upstream)
        {
            var headers = new DecisionHeaderValues(null, null, request.Model!, DecisionHeaderValues.NotApplicable, DecisionReasons.Passthrough);
            await forwarder.ForwardAsync(context, new ForwardTarget(upstream, OpenAIPaths.UpstreamPath(operation), Segment(body), headers));
            return;
        }

        var route = selection.Route!;
        if (operation == OpenAIOperation.Embeddings)
        {
            await ForwardEmbeddingsAsync(context, route, request, body);
            return;
        }

        var policyError = policy.TryDecide(route, request.Prompt!, context.Request.Headers[DecisionHeaderValues.TierHeader], out var decision);
        if (policyError is not null)
        {
            await ErrorResponses.WriteAsync(context, policyError);
            return;
        }

        using var rewritten = new PooledBuffer(body.Count + 64);
        RequestBodyRewriter.Rewrite(body.WrittenSpan, decision!.Target.EncodedModel, ensureIncludeUsage: false, rewritten);
        await forwarder.ForwardAsync(context, new ForwardTarget(decision.Target.Upstream, OpenAIPaths.UpstreamPath(operation), Segment(rewritten), HeadersOf(decision)));
    }

    public static DecisionHeaderValues HeadersOf(RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var confidence = decision.Confidence is { } c ? c.ToString("0.000", CultureInfo.InvariantCulture) : DecisionHeaderValues.NotApplicable;
        return new DecisionHeaderValues(decision.Route.Name, decision.Target.TierName, decision.Target.Model, confidence, decision.Reason);
    }

    private async Task ForwardEmbeddingsAsync(HttpContext context, RouteModel route, ParsedRequest request, PooledBuffer body)
    {
        var model = route.EmbeddingsModel ?? request.Model!;
        var headers = new DecisionHeaderValues(route.Name, null, model, DecisionHeaderValues.NotApplicable, DecisionReasons.Passthrough);
        if (route.EmbeddingsModel is null || string.Equals(route.EmbeddingsModel, request.Model, StringComparison.Ordinal))
        {
            await forwarder.ForwardAsync(context, new ForwardTarget(route.EmbeddingsUpstream, OpenAIPaths.UpstreamPath(OpenAIOperation.Embeddings), Segment(body), headers));
            return;
        }

        using var rewritten = new PooledBuffer(body.Count + 64);
        RequestBodyRewriter.Rewrite(body.WrittenSpan, route.EmbeddingsModel, ensureIncludeUsage: false, rewritten);
        await forwarder.ForwardAsync(context, new ForwardTarget(route.EmbeddingsUpstream, OpenAIPaths.UpstreamPath(OpenAIOperation.Embeddings), Segment(rewritten), headers));
    }

    private static bool TryParse(OpenAIOperation operation, ReadOnlySpan<byte> body, [NotNullWhen(true)] out ParsedRequest? request, [NotNullWhen(false)] out OpenAIError? error) => operation switch
    {
        OpenAIOperation.ChatCompletions => OpenAIRequestParser.TryParseChat(body, out request, out error),
        OpenAIOperation.Completions => OpenAIRequestParser.TryParseCompletion(body, out request, out error),
        _ => OpenAIRequestParser.TryParseEmbeddings(body, out request, out error),
    };

    private static int RequestSizeHint(HttpRequest request, GatewaySnapshot snapshot) =>
        request.ContentLength is { } length && length <= snapshot.MaxRequestBodyBytes ? (int)length + 1 : 4096;

    private static ArraySegment<byte> Segment(PooledBuffer buffer) => new(buffer.Array, 0, buffer.Count);
}
