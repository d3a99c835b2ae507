using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Server.Configuration;
using RightSize.Server.Endpoints;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Observability;
using RightSize.Server.Usage;

namespace RightSize.Server.Telemetry;

/// <summary>
/// The gateway's instruments, on one <see cref="Meter"/> from <see cref="IMeterFactory"/>. Cost
/// counters are in the configured currency: the exact <see cref="decimal"/> amounts are converted
/// to <see cref="double"/> only here, for export. Each record method checks
/// <see cref="Instrument.Enabled"/> before it builds tags, and builds them in a stack
/// <see cref="TagList"/>: nothing is allocated when nobody listens.
/// </summary>
internal sealed class GatewayMetrics
{
    private readonly Histogram<long> _tokenUsage;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstChunk;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _classifierDuration;
    private readonly Counter<double> _cost;
    private readonly Counter<double> _frontierCost;
    private readonly Counter<double> _savings;
    private readonly Counter<long> _usageMissing;

    private readonly GatewaySnapshotStore _configuration;

    public GatewayMetrics(IMeterFactory meterFactory, IOptions<TelemetryOptions> options, GatewaySnapshotStore configuration, TimeProvider timeProvider, RequestBodyBudget requestBodies, HeldResponseBudget heldAnswers)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(requestBodies);
        ArgumentNullException.ThrowIfNull(heldAnswers);
        _configuration = configuration;
        var started = timeProvider.GetTimestamp();
        var meter = meterFactory.Create(TelemetryNames.MeterName);
        var money = "{" + options.Value.CurrencyCode() + "}";

        _tokenUsage = meter.CreateHistogram(TelemetryNames.TokenUsage, "{token}", "Number of input and output tokens used per request.",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TelemetryConstants.TokenBuckets });
        _duration = meter.CreateHistogram(TelemetryNames.OperationDuration, "s", "Duration of a routed request, from arrival to the last byte sent to the client.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TelemetryConstants.DurationBuckets });
        _timeToFirstChunk = meter.CreateHistogram(TelemetryNames.TimeToFirstChunk, "s", "Time from arrival to the first chunk sent to the client, for streaming requests.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TelemetryConstants.FirstChunkBuckets });
        _decisions = meter.CreateCounter<long>(TelemetryNames.Decisions, "{request}", "Routed requests by route, serving tier and reason.");
        _escalations = meter.CreateCounter<long>(TelemetryNames.Escalations, "{escalation}", "Moves towards the frontier tier, by reason (low-confidence or the failure of a cheaper attempt).");
        _attempts = meter.CreateCounter<long>(TelemetryNames.Attempts, "{attempt}", "Upstream attempts by upstream, tier and outcome (error.type when it failed).");
        _classifierDuration = meter.CreateHistogram(TelemetryNames.ClassifierDuration, "s", "Time spent in feature extraction and classifier inference per request.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TelemetryConstants.ClassifierBuckets });
        _cost = meter.CreateCounter<double>(TelemetryNames.Cost, money, "Cost of the tokens used, at the serving tier's prices, plus what failed attempts reported, at theirs.");
        _frontierCost = meter.CreateCounter<double>(TelemetryNames.FrontierEquivalentCost, money, "What the same tokens would have cost at the route's frontier tier's prices.");
        _savings = meter.CreateCounter<double>(TelemetryNames.Savings, money, "Frontier-equivalent cost minus cost (requests priced above the frontier add nothing).");
        _usageMissing = meter.CreateCounter<long>(TelemetryNames.UsageMissing, "{request}", "Requests that may have been charged for but whose upstream reported no token usage: their cost is unknown, not zero.");
        meter.CreateObservableGauge(TelemetryNames.ConfigGeneration, () => _configuration.Current.Generation, "{generation}",
            "The configuration generation in force: 1 at start-up, one more for each configuration put in force; a rejected reload leaves it as it was.");
        meter.CreateObservableGauge(TelemetryNames.ConfigRejected, () => _configuration.LastLoadRejected ? 1 : 0, "{configuration}",
            "1 while the configuration last loaded is rejected and an older one is in force; 0 otherwise.");
        meter.CreateObservableGauge(TelemetryNames.Uptime, () => timeProvider.GetElapsedTime(started).TotalSeconds, "s",
            "Time since this gateway's metrics started: every counter series began at zero no earlier, which alerts need to tell a new series from one not scraped before.");
        meter.CreateObservableGauge(TelemetryNames.BudgetUsed, () => (IEnumerable<Measurement<long>>)
            [
                new(requestBodies.Used, new KeyValuePair<string, object?>(TelemetryTags.Budget, TelemetryTags.BudgetRequestBodies)),
                new(heldAnswers.Used, new KeyValuePair<string, object?>(TelemetryTags.Budget, TelemetryTags.BudgetHeldAnswers)),
            ], "By",
            "Bytes taken from the gateway's memory budgets: request bodies being routed (of Gateway:MaxBufferedRequestBytes; full, a body gets a 503 gateway_busy) and answers held back (of Gateway:MaxHeldResponseBytes; full, answers pass on unheld).");
    }

    /// <summary>
    /// Creates the cost, frontier-equivalent and savings series of every route and each tier that
    /// can serve it at zero: adding zero changes no total, and a dashboard's <c>increase()</c>
    /// then sees the first request of each; see <see cref="CostSeriesInitializer"/>. The tiers that
    /// can serve are the configured ones from the lowest a request can be sent to up to the
    /// route's <c>MaxTier</c> (a fallback only goes up): see <see cref="RouteModel.LowestServingTier"/>.
    /// </summary>
    public void InitialiseCostSeries(GatewaySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!_cost.Enabled && !_frontierCost.Enabled && !_savings.Enabled) return;
        foreach (var route in snapshot.RoutesByName.Values)
        {
            var lowest = route.LowestServingTier();
            foreach (var target in route.Targets)
            {
                if (target is null || target.Tier < lowest || target.Tier > route.MaxTier) continue;
                var tags = new TagList { { TelemetryTags.Route, route.Name }, { TelemetryTags.Tier, target.TierName } };
                _cost.Add(0, tags);
                _frontierCost.Add(0, tags);
                _savings.Add(0, tags);
            }
        }
    }

    /// <summary>Records one upstream attempt's outcome.</summary>
    public void RecordAttempt(RequestRecord request, AttemptRecord attempt)
    {
        if (!_attempts.Enabled) return;
        var tags = new TagList
        {
            { TelemetryTags.Upstream, attempt.Upstream },
            { TelemetryTags.Tier, attempt.Tier },
        };
        if (request.Route is { } route) tags.Add(TelemetryTags.Route, route);
        if (Forwarding.AttemptFailures.ErrorTypeOf(attempt) is { } error) tags.Add(TelemetryTags.ErrorType, error);
        _attempts.Add(1, tags);
    }

    /// <summary>Records a completed request: its decision, escalations, tokens, latency and cost.</summary>
    public void RecordCompleted(RequestRecord request, bool priced, in RequestCost cost)
    {
        ArgumentNullException.ThrowIfNull(request);
        RecordDecision(request);
        RecordEscalations(request);

        // The model labels, resolved once for every instrument below.
        var snapshot = request.Snapshot ?? _configuration.Current;
        var (requested, served) = (ModelLabel(snapshot, request.RequestedModel), ModelLabel(snapshot, RequestOutcome.ServedModelOf(request)));
        if (request.ClassifierMicroseconds > 0 && _classifierDuration.Enabled)
        {
            _classifierDuration.Record(request.ClassifierMicroseconds / 1_000_000d, RouteTags(request));
        }

        if (_duration.Enabled)
        {
            var tags = GenAiTags(request, requested, served);
            var error = TelemetryTags.ErrorTypeOf(request);
            if (error is not null) tags.Add(TelemetryTags.ErrorType, error);
            _duration.Record(request.Duration.TotalSeconds, tags);
        }

        if (request.Stream && request.TimeToFirstChunk is { } firstChunk && _timeToFirstChunk.Enabled)
        {
            _timeToFirstChunk.Record(firstChunk.TotalSeconds, GenAiTags(request, requested, served));
        }

        if (request.Usage is { } usage)
        {
            if (_tokenUsage.Enabled)
            {
                var tags = GenAiTags(request, requested, served);
                tags.Add(TelemetryTags.TokenType, TelemetryTags.TokenTypeInput);
                _tokenUsage.Record(usage.PromptTokens, tags);
                if (TelemetryTags.HasOutputTokens(request.Operation))
                {
                    tags[tags.Count - 1] = new KeyValuePair<string, object?>(TelemetryTags.TokenType, TelemetryTags.TokenTypeOutput);
                    _tokenUsage.Record(usage.CompletionTokens, tags);
                }
            }
        }
        else if (RequestOutcome.UsageUnknown(request) && _usageMissing.Enabled)
        {
            _usageMissing.Add(1, GenAiTags(request, requested, served));
        }

        if (priced) RecordCost(request, cost);
    }

    // A request the policy refused (a bad x-rightsize-tier, say) was never routed: it has no reason and is no decision.
    // Nor is a route's embeddings request, sent on to the route's embeddings upstream with no tier chosen.
    private void RecordDecision(RequestRecord request)
    {
        if (!_decisions.Enabled || request.Route is null || request.Reason.Length == 0) return;
        if (request.Operation == OpenAIPaths.OperationName(OpenAIOperation.Embeddings)) return;
        var tags = RouteTags(request);
        tags.Add(TelemetryTags.Reason, request.Reason);
        _decisions.Add(1, tags);
    }

    private void RecordEscalations(RequestRecord request)
    {
        if (!_escalations.Enabled) return;
        foreach (var reason in Escalation.Reasons(request)) AddEscalation(request, reason);
    }

    private void AddEscalation(RequestRecord request, string reason)
    {
        var tags = new TagList { { TelemetryTags.Reason, reason } };
        if (request.Route is { } route) tags.Add(TelemetryTags.Route, route);
        _escalations.Add(1, tags);
    }

    private void RecordCost(RequestRecord request, in RequestCost cost)
    {
        if (_cost.Enabled) _cost.Add((double)cost.Cost, RouteTags(request));
        if (_frontierCost.Enabled) _frontierCost.Add((double)cost.FrontierEquivalentCost, RouteTags(request));
        if (_savings.Enabled && cost.Savings > 0) _savings.Add((double)cost.Savings, RouteTags(request));
    }

    private static TagList RouteTags(RequestRecord request)
    {
        var tags = default(TagList);
        if (request.Route is { } route) tags.Add(TelemetryTags.Route, route);
        if (RequestOutcome.ServedTierOf(request) is { } tier) tags.Add(TelemetryTags.Tier, tier);
        return tags;
    }

    private static TagList GenAiTags(RequestRecord request, string? requestedModel, string? servedModel)
    {
        var tags = new TagList
        {
            { TelemetryTags.OperationName, request.Operation },
            { TelemetryTags.ProviderName, TelemetryTags.ProviderOpenAI },
        };
        if (requestedModel is not null) tags.Add(TelemetryTags.RequestModel, requestedModel);
        if (servedModel is not null) tags.Add(TelemetryTags.ResponseModel, servedModel);
        if (request.Route is { } route) tags.Add(TelemetryTags.Route, route);
        if (RequestOutcome.ServedTierOf(request) is { } tier) tags.Add(TelemetryTags.Tier, tier);
        return tags;
    }

    /// <summary>A model as a metric value: the configuration's spelling, or <see cref="TelemetryTags.OtherModel"/> for a name only a client gave; null for none.</summary>
    private static string? ModelLabel(GatewaySnapshot snapshot, string? model) => model is null ? null : snapshot.ConfiguredModelName(model) ?? TelemetryTags.OtherModel;
}
