using RightSize.OpenAI.Usage;
using RightSize.Server.Model;
using RightSize.Server.Observability;

namespace RightSize.Server.Usage;

/// <summary>
/// The one owner of cost. A usage costs, at a tier's prices per million tokens: its cached prompt
/// tokens at <see cref="TierPrices.CachedInputPerMTok"/>, the rest of the prompt at
/// <see cref="TierPrices.InputPerMTok"/>, and every completion token (reasoning included) at
/// <see cref="TierPrices.OutputPerMTok"/>. A request without usage has no cost (it is counted as
/// "usage unknown", never as zero); a pass-through request has tokens but no prices.
/// </summary>
internal static class CostCalculator
{
    private const decimal TokensPerPriceUnit = 1_000_000m;

    /// <summary>The cost of <paramref name="usage"/> at <paramref name="prices"/>.</summary>
    public static decimal CostOf(TokenUsage usage, TierPrices prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var cached = Math.Clamp(usage.CachedPromptTokens, 0, Math.Max(usage.PromptTokens, 0));
        var uncached = Math.Max(usage.PromptTokens, 0) - cached;
        var completion = Math.Max(usage.CompletionTokens, 0);
        var amount = (uncached * prices.InputPerMTok) + (cached * prices.CachedInputPerMTok) + (completion * prices.OutputPerMTok);
        return amount / TokensPerPriceUnit;
    }

    /// <summary>
    /// The cost of <paramref name="usage"/> on the serving tier and on the frontier tier. Without
    /// frontier prices the frontier-equivalent cost is the cost itself (no saving claimed).
    /// </summary>
    public static RequestCost Compute(TokenUsage usage, TierPrices prices, TierPrices? frontierPrices)
    {
        var cost = CostOf(usage, prices);
        var frontier = frontierPrices is null || ReferenceEquals(frontierPrices, prices) ? cost : CostOf(usage, frontierPrices);
        return new RequestCost(cost, frontier);
    }

    /// <summary>
    /// The cost of a completed request, when it can be known: false when the upstream reported no
    /// usage (<see cref="RequestRecord.Usage"/> is null) or the request had no prices (pass-through).
    /// The cost includes what failed attempts reported before they failed
    /// (<see cref="AttemptRecord.BilledBeforeFailing"/>), each at its own tier's prices, since the
    /// upstream billed them; the frontier-equivalent cost is the answer's tokens alone, so a fallback
    /// after a billed failure can save less than nothing.
    /// </summary>
    public static bool TryCompute(RequestRecord request, out RequestCost cost)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Usage is { } usage && request.Prices is { } prices)
        {
            var served = Compute(usage, prices, request.FrontierPrices);
            cost = served with { Cost = served.Cost + FailedAttemptsCost(request) };
            return true;
        }

        cost = default;
        return false;
    }

    private static decimal FailedAttemptsCost(RequestRecord request)
    {
        var total = 0m;
        foreach (var attempt in request.Attempts)
        {
            if (attempt.BilledBeforeFailing is ({ } usage, { } prices)) total += CostOf(usage, prices);
        }

        return total;
    }
}
