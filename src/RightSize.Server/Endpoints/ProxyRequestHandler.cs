using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RightSize.Classification;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Requests;
using RightSize.Server.Buffers;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Observability;
using RightSize.Server.Policy;
using RightSize.Server.Routing;

namespace RightSize.Server.Endpoints;

/// <summary>
/// Serves the routed OpenAI operations: bounded body read, parse, route selection, policy, then
/// a forward plan for <see cref="EscalatingForwarder"/>. Bad input is answered here and never
/// reaches an upstream; a request refused before it had a route is logged here (event 5002), one
/// refused after it by the observers' completion line.
/// </summary>
internal sealed partial class ProxyRequestHandler(GatewaySnapshotStore store, RoutePolicy policy, EscalatingForwarder forwarder, RequestBodyBudget bodyBudget, IEnumerable<IRequestObserver> observers, ILogger<ProxyRequestHandler> logger)
{
    private readonly IRequestObserver[] _observers = [.. observers];

    /// <summary>Serves a request at a fixed API path (<c>/v1/...</c>), under the configuration in force now.</summary>
    public Task HandleAsync(HttpContext context, OpenAIOperation operation) => HandleAsync(context, operation, store.Current, null);

    /// <summary>
    /// Serves a request under <paramref name="snapshot"/>, the configuration <paramref name="pathRoute"/>
    /// (the route its path prefix chose, if any) was taken from, so that a reload in between cannot
    /// mix two configurations in one request.
    /// </summary>
    public async Task HandleAsync(HttpContext context, OpenAIOperation operation, GatewaySnapshot snapshot, RouteModel? pathRoute)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(snapshot);
        var arrived = Stopwatch.GetTimestamp(); // durations count the upload of the body too
        using var lease = bodyBudget.Open(); // the body's share of the budget, given back when the request is done
        using var body = new PooledBuffer(RequestSizeHint(context.Request, snapshot));
        var intake = await RequestIntake.ReadAsync(context, snapshot, operation, pathRoute, lease, body);
        if (intake.Error is { } error)
        {
            await ErrorResponses.WriteAsync(context, error);
            if (logger.IsEnabled(LogLevel.Information)) LogRejected(context, operation, error, arrived);
            return;
        }

        var request = intake.Request!;
        var selection = intake.Selection;
        var record = new RequestRecord
        {
            RequestId = context.TraceIdentifier,
            Operation = OpenAIPaths.OperationName(operation),
            StartTimestamp = arrived,
            Snapshot = snapshot,
            RequestedModel = request.Model,
            Stream = request.Stream,
        };
        try
        {
            var plan = Plan(context, snapshot, operation, selection, request, body, record, out var planError);
            if (plan is null)
            {
                record.StatusCode = planError!.StatusCode;
                await ErrorResponses.WriteAsync(context, planError);
                return;
            }

            await forwarder.ForwardAsync(context, plan, record);
        }
        finally
        {
            record.Duration = Stopwatch.GetElapsedTime(record.StartTimestamp);
            if (record.StatusCode == 0) record.StatusCode = context.Response.StatusCode;
            for (var i = 0; i < _observers.Length; i++) _observers[i].OnCompleted(record);
        }
    }

    /// <summary>What the request is sent to: a pass-through upstream, a route's embeddings upstream, or the tiers the route's policy decides.</summary>
    private ForwardPlan? Plan(HttpContext context, GatewaySnapshot snapshot, OpenAIOperation operation, RouteSelection selection, ParsedRequest request, PooledBuffer body, RequestRecord record, out OpenAIError? error)
    {
        error = null;
        var apiPath = OpenAIPaths.UpstreamPath(operation);
        if (selection.Passthrough is { } upstream) return PlanPassthrough(upstream, apiPath, snapshot, request, body, record);
        var route = selection.Route!;
        record.Route = route.Name;
        record.FrontierPrices = route.ResolveTarget(Tier.Frontier).Prices;
        return operation == OpenAIOperation.Embeddings
            ? PlanEmbeddings(route, selection.ByPath, apiPath, snapshot, request, body, record, out error)
            : PlanRouted(context, route, apiPath, snapshot, request, body, record, out error);
    }

    private static ForwardPlan PlanPassthrough(UpstreamEndpoint upstream, string apiPath, GatewaySnapshot snapshot, ParsedRequest request, PooledBuffer body, RequestRecord record)
    {
        record.Reason = DecisionReasons.Passthrough;
        // The body goes as is, except that a stream asks for usage as a routed one does (the model is spliced back unchanged).
        var encoded = request.Stream ? JsonEncodedText.Encode(request.Model!) : (JsonEncodedText?)null;
        return Single(new ForwardCandidate(null, upstream, request.Model!, encoded, null), apiPath, body, request, null, snapshot.PassthroughDeadline, TimeSpan.Zero, snapshot);
    }

    private static ForwardPlan? PlanEmbeddings(RouteModel route, bool byPath, string apiPath, GatewaySnapshot snapshot, ParsedRequest request, PooledBuffer body, RequestRecord record, out OpenAIError? error)
    {
        error = null;
        if ((route.EmbeddingsModel ?? request.Model) is not { } model)
        {
            error = OpenAIError.MissingModel();
            return null;
        }

        if (route.EmbeddingsModel is null && !snapshot.PassthroughEnabled)
        {
            // With pass-through off, no model a client names reaches an upstream unchanged, on a route's path neither.
            error = OpenAIError.EmbeddingsModelNotConfigured(model, route.Name);
            return null;
        }

        if (route.EmbeddingsModel is null && snapshot.RoutesByName.ContainsKey(model))
        {
            // A route's virtual name (this route's or, under a prefix, another's) means nothing to an
            // embeddings provider. A concrete model would be sent on: on the route's path always, on
            // /v1 only a tier's model or, with Passthrough:Upstream, any.
            error = OpenAIError.NoEmbeddingsModel(model, route.Name, unclaimedSentOn: byPath || snapshot.PassthroughFallback is not null);
            return null;
        }

        var encoded = route.EmbeddingsModel is null ? (JsonEncodedText?)null : JsonEncodedText.Encode(model);
        record.Reason = DecisionReasons.Passthrough;
        return Single(new ForwardCandidate(null, route.EmbeddingsUpstream, model, encoded, null), apiPath, body, request, route.Name, route.Deadline, route.RetryAfterLimit, snapshot);
    }

    private ForwardPlan? PlanRouted(HttpContext context, RouteModel route, string apiPath, GatewaySnapshot snapshot, ParsedRequest request, PooledBuffer body, RequestRecord record, out OpenAIError? error)
    {
        error = policy.TryDecide(route, request.Prompt!, context.Request.Headers[DecisionHeaderValues.TierHeader], out var decision);
        if (error is not null) return null;
        record.DecidedTier = decision!.Target.TierName;
        record.Reason = record.DecisionReason = decision.Reason;
        record.Confidence = decision.Confidence;
        record.Probabilities = decision.Probabilities;
        record.ClassifierMicroseconds = decision.ClassifierMicroseconds;
        var confidence = decision.Confidence is { } c ? c.ToString("0.000", CultureInfo.InvariantCulture) : DecisionHeaderValues.NotApplicable;
        return NewPlan(Candidates(route, decision.Target), apiPath, body, request, snapshot, route.Name, decision.Reason, confidence, route.Deadline, route.RetryAfterLimit);
    }

    /// <summary>The decided tier first, then every configured tier above it up to the route's maximum.</summary>
    private static List<ForwardCandidate> Candidates(RouteModel route, TierTarget decided)
    {
        var candidates = new List<ForwardCandidate>(3) { ForwardCandidate.For(decided) };
        for (var t = (int)decided.Tier + 1; t <= (int)route.MaxTier; t++)
        {
            if (route.Targets[t] is { } target) candidates.Add(ForwardCandidate.For(target));
        }

        return candidates;
    }

    /// <summary>A plan of one candidate: a pass-through model (no route, so no wait on a 429) or a route's embeddings (the route's deadline and 429 wait).</summary>
    private static ForwardPlan Single(ForwardCandidate candidate, string apiPath, PooledBuffer body, ParsedRequest request, string? route, TimeSpan deadline, TimeSpan retryAfterLimit, GatewaySnapshot snapshot) =>
        NewPlan([candidate], apiPath, body, request, snapshot, route, DecisionReasons.Passthrough, DecisionHeaderValues.NotApplicable, deadline, retryAfterLimit);

    /// <summary>A plan over the client's body as received, streaming (and asking a stream for usage) as the client asked, under the snapshot's YARP settings.</summary>
    private static ForwardPlan NewPlan(
        IReadOnlyList<ForwardCandidate> candidates, string apiPath, PooledBuffer body, ParsedRequest request, GatewaySnapshot snapshot,
        string? route, string reason, string confidence, TimeSpan deadline, TimeSpan retryAfterLimit) => new()
    {
        Candidates = candidates,
        ApiPath = apiPath,
        Body = Segment(body),
        Stream = request.Stream,
        Route = route,
        Reason = reason,
        Confidence = confidence,
        Deadline = deadline,
        RetryAfterLimit = retryAfterLimit,
        RequestConfig = snapshot.ForwarderConfig,
    };

    /// <summary>The most of a body's declared length the buffer is sized for before any of it arrived; a longer body grows it as it comes.</summary>
    private const int MaxPresizedBodyBytes = 64 * 1024;

    /// <summary>
    /// The body buffer's first size: the declared length (the reader stops there) up to
    /// <see cref="MaxPresizedBodyBytes"/>. Never more, since a client could declare 4 MiB on many
    /// connections, then send a few bytes a second, and have the gateway hold 8 MiB arrays (the
    /// pool rounds up) for hours.
    /// </summary>
    private static int RequestSizeHint(HttpRequest request, GatewaySnapshot snapshot) =>
        request.ContentLength is { } length && length <= snapshot.MaxRequestBodyBytes ? (int)Math.Min(length, MaxPresizedBodyBytes) : 4096;

    private static ArraySegment<byte> Segment(PooledBuffer buffer) => new(buffer.Array, 0, buffer.Count);

    private void LogRejected(HttpContext context, OpenAIOperation operation, OpenAIError error, long arrived)
    {
        var operationName = OpenAIPaths.OperationName(operation);
        var durationMs = Math.Round(Stopwatch.GetElapsedTime(arrived).TotalMilliseconds, 1);
        // The client's own mistakes stay at Information; a 503 gateway_busy is the gateway's, at
        // Warning, where an alert on the completion line's 5xx also sees it.
        var level = error.StatusCode >= 500 ? LogLevel.Warning : LogLevel.Information;
        Log.RequestRejected(logger, level, context.TraceIdentifier, operationName, error.StatusCode, error.Code ?? "-", error.Param ?? "-", durationMs);
    }

    private static partial class Log
    {
        /// <summary>
        /// A request refused before it had a route (malformed JSON, an unknown model, a body over
        /// the limit, a client that left while sending): no completion line, since nothing was
        /// decided. The error's code and param only, never its message, which may quote the body.
        /// </summary>
        [LoggerMessage(EventId = 5002, EventName = "RequestRejected",
            Message = "Request {RequestId:l} {Operation:l} refused: {StatusCode} (code {Code:l}, param {Param:l}) in {DurationMs} ms")]
        public static partial void RequestRejected(ILogger logger, LogLevel level, string requestId, string operation, int statusCode, string code, string param, double durationMs);
    }
}
