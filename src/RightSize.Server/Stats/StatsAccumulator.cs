using System.Runtime.InteropServices;
using RightSize.Server.Observability;
using RightSize.Server.Telemetry;
using RightSize.Server.Usage;

namespace RightSize.Server.Stats;

/// <summary>The sums for one route and tier over some time: counts, tokens, exact cost, escalations, latency. Its owner locks.</summary>
internal sealed class StatsAccumulator
{
    public long Requests { get; private set; }

    /// <summary>Requests whose <c>error.type</c> is set (<see cref="TelemetryTags.ErrorTypeOf(RequestRecord)"/>): a 4xx/5xx status, a stream cut after its first byte, or a client that left (also in <see cref="ClientAborts"/>).</summary>
    public long Errors { get; private set; }

    public long ClientAborts { get; private set; }

    /// <summary>Requests whose upstream reported no usage: their cost is unknown, not zero.</summary>
    public long UsageMissing { get; private set; }

    /// <summary>Requests with usage but no prices (pass-through): tokens counted, cost unknown.</summary>
    public long Unpriced { get; private set; }

    /// <summary>Requests counted in <see cref="Cost"/>.</summary>
    public long Priced { get; private set; }

    public long PromptTokens { get; private set; }

    public long CompletionTokens { get; private set; }

    public long CachedPromptTokens { get; private set; }

    public long ReasoningTokens { get; private set; }

    public decimal Cost { get; private set; }

    public decimal FrontierEquivalentCost { get; private set; }

    public decimal Savings => FrontierEquivalentCost - Cost;

    public Dictionary<string, long> Escalations { get; } = new(StringComparer.Ordinal);

    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram FirstChunk { get; } = new();

    public void Add(RequestRecord request, bool priced, in RequestCost cost)
    {
        Requests++;
        if (TelemetryTags.ErrorTypeOf(request) is not null) Errors++;
        if (request.ClientAborted) ClientAborts++;
        if (request.Usage is { } usage)
        {
            PromptTokens += usage.PromptTokens;
            CompletionTokens += usage.CompletionTokens;
            CachedPromptTokens += usage.CachedPromptTokens;
            ReasoningTokens += usage.ReasoningTokens;
            if (priced)
            {
                Priced++;
                Cost += cost.Cost;
                FrontierEquivalentCost += cost.FrontierEquivalentCost;
            }
            else
            {
                Unpriced++;
            }
        }
        else if (RequestOutcome.UsageUnknown(request))
        {
            UsageMissing++;
        }

        foreach (var reason in Escalation.Reasons(request)) CollectionsMarshal.GetValueRefOrAddDefault(Escalations, reason, out _)++;

        Latency.Record(request.Duration.TotalMilliseconds);
        if (request.Stream && request.TimeToFirstChunk is { } first) FirstChunk.Record(first.TotalMilliseconds);
    }

    public void AddTo(StatsAccumulator target)
    {
        target.Requests += Requests;
        target.Errors += Errors;
        target.ClientAborts += ClientAborts;
        target.UsageMissing += UsageMissing;
        target.Unpriced += Unpriced;
        target.Priced += Priced;
        target.PromptTokens += PromptTokens;
        target.CompletionTokens += CompletionTokens;
        target.CachedPromptTokens += CachedPromptTokens;
        target.ReasoningTokens += ReasoningTokens;
        target.Cost += Cost;
        target.FrontierEquivalentCost += FrontierEquivalentCost;
        foreach (var (reason, count) in Escalations) CollectionsMarshal.GetValueRefOrAddDefault(target.Escalations, reason, out _) += count;
        Latency.AddTo(target.Latency);
        FirstChunk.AddTo(target.FirstChunk);
    }

    public void Reset()
    {
        Requests = Errors = ClientAborts = UsageMissing = Unpriced = Priced = 0;
        PromptTokens = CompletionTokens = CachedPromptTokens = ReasoningTokens = 0;
        Cost = FrontierEquivalentCost = 0;
        Escalations.Clear();
        Latency.Reset();
        FirstChunk.Reset();
    }
}
