using System.Diagnostics;
using System.Globalization;
using RightSize.OpenAI.Usage;
using RightSize.Server.Observability;
using RightSize.Server.Usage;

namespace RightSize.Server.Telemetry;

/// <summary>
/// Spans: one client span per upstream attempt (<c>{gen_ai.operation.name} {model}</c>), a child
/// of the ASP.NET Core request span. The attempt that served the answer carries the response
/// model and the token usage, as the GenAI conventions put them on the inference span, so a
/// backend that sums <c>gen_ai.usage.*</c> counts each call once; the decision and the cost go on
/// the request span. Tags are set only on spans that record (<see cref="Activity.IsAllDataRequested"/>).
/// </summary>
internal static class RequestSpans
{
    public static Activity? StartAttempt(RequestRecord request, AttemptRecord attempt)
    {
        var requestSpan = RequestSpan();
        if (attempt.Index == 0 && requestSpan is { IsAllDataRequested: true }) TagDecision(requestSpan, request);

        var source = GatewayActivitySource.Source;
        if (!source.HasListeners()) return null;
        var activity = source.StartActivity(TelemetryNames.AttemptSpan, ActivityKind.Client, requestSpan?.Context ?? default);
        if (activity is null) return null;
        if (activity.IsAllDataRequested)
        {
            var operation = request.Operation; // already spelt as gen_ai.operation.name (OpenAIPaths.OperationName)
            activity.DisplayName = operation + " " + attempt.Model;
            activity.SetTag(TelemetryTags.OperationName, operation);
            activity.SetTag(TelemetryTags.ProviderName, TelemetryTags.ProviderOpenAI);
            activity.SetTag(TelemetryTags.RequestModel, attempt.Model);
            activity.SetTag(TelemetryTags.Upstream, attempt.Upstream);
            activity.SetTag(TelemetryTags.Tier, attempt.Tier);
            activity.SetTag(TelemetryTags.Attempt, attempt.Index);
            if (request.Route is { } route) activity.SetTag(TelemetryTags.Route, route);
        }

        return activity;
    }

    public static void EndAttempt(RequestRecord request, AttemptRecord attempt, object? state)
    {
        if (state is not Activity activity) return;
        if (activity.IsAllDataRequested)
        {
            if (attempt.StatusCode is { } status) activity.SetTag(TelemetryTags.HttpStatusCode, status);
            if (attempt.UpstreamRequestId is { } upstreamRequestId) activity.SetTag(TelemetryTags.UpstreamRequestId, upstreamRequestId);
            if (Forwarding.AttemptFailures.ErrorTypeOf(attempt) is { } error)
            {
                activity.SetTag(TelemetryTags.ErrorType, error);
                activity.SetStatus(ActivityStatusCode.Error, error);
            }

            // The answer reached the client as the upstream sent it: a passed-on 4xx too, whose model answered.
            if (attempt.Failure is null)
            {
                activity.SetTag(TelemetryTags.ResponseModel, attempt.Model);
                if (request.Usage is { } usage) TagUsage(activity, request, usage);
            }
        }

        activity.Stop();
    }

    public static void Complete(RequestRecord request, bool priced, in RequestCost cost, string currency)
    {
        var span = RequestSpan();
        if (span is not { IsAllDataRequested: true }) return;
        if (request.Attempts.Count == 0) TagDecision(span, request);
        span.SetTag(TelemetryTags.Tier, RequestOutcome.ServedTierOf(request));
        span.SetTag(TelemetryTags.ResponseModel, RequestOutcome.ServedModelOf(request));
        span.SetTag(TelemetryTags.Reason, request.Reason);
        if (RequestOutcome.UsageUnknown(request))
        {
            span.SetTag(TelemetryTags.UsageMissing, true);
        }

        if (priced)
        {
            // Strings keep the decimal exact; a double would not.
            span.SetTag(TelemetryTags.Cost, cost.Cost.ToString(CultureInfo.InvariantCulture));
            span.SetTag(TelemetryTags.FrontierEquivalentCost, cost.FrontierEquivalentCost.ToString(CultureInfo.InvariantCulture));
            span.SetTag(TelemetryTags.Savings, cost.Savings.ToString(CultureInfo.InvariantCulture));
            span.SetTag(TelemetryTags.Currency, currency);
        }

        if (request.StreamFailed) span.SetTag(TelemetryTags.StreamFailed, true);
        if (TelemetryTags.ErrorTypeOf(request) is TelemetryTags.ErrorStreamCut)
        {
            // The status sent was 200, which leaves the server span's status alone: the answer was not whole.
            span.SetTag(TelemetryTags.ErrorType, TelemetryTags.ErrorStreamCut);
            span.SetStatus(ActivityStatusCode.Error, TelemetryTags.ErrorStreamCut);
        }

        if (request.ClientAborted) span.SetTag(TelemetryTags.ClientAborted, true);
    }

    private static void TagUsage(Activity span, RequestRecord request, TokenUsage usage)
    {
        span.SetTag(TelemetryTags.InputTokens, usage.PromptTokens);
        if (TelemetryTags.HasOutputTokens(request.Operation)) span.SetTag(TelemetryTags.OutputTokens, usage.CompletionTokens);
        if (usage.CachedPromptTokens > 0) span.SetTag(TelemetryTags.CachedInputTokens, usage.CachedPromptTokens);
        if (usage.ReasoningTokens > 0) span.SetTag(TelemetryTags.ReasoningTokens, usage.ReasoningTokens);
    }

    private static void TagDecision(Activity span, RequestRecord request)
    {
        span.SetTag(TelemetryTags.RequestId, request.RequestId);
        span.SetTag(TelemetryTags.OperationName, request.Operation);
        span.SetTag(TelemetryTags.RequestModel, request.RequestedModel);
        span.SetTag(TelemetryTags.Route, request.Route);
        span.SetTag(TelemetryTags.DecidedTier, request.DecidedTier);
        span.SetTag(TelemetryTags.Reason, request.Reason);
        if (request.Confidence is { } confidence) span.SetTag(TelemetryTags.Confidence, confidence);
        if (request.Probabilities is { } p)
        {
            if (!float.IsNaN(p.Small)) span.SetTag(TelemetryTags.ProbabilitySmall, (double)p.Small);
            if (!float.IsNaN(p.Mid)) span.SetTag(TelemetryTags.ProbabilityMid, (double)p.Mid);
        }

        if (request.ClassifierMicroseconds > 0) span.SetTag(TelemetryTags.ClassifierMicroseconds, request.ClassifierMicroseconds);
    }

    // The current span, skipping an attempt span of ours that is still current.
    private static Activity? RequestSpan()
    {
        var current = Activity.Current;
        while (current is not null && ReferenceEquals(current.Source, GatewayActivitySource.Source)) current = current.Parent;
        return current;
    }
}
