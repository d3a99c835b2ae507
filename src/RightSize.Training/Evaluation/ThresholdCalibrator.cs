namespace RightSize.Training.Evaluation;

/// <summary>What a route threshold does on a sample: the tier mix, and quality and cost when the sample is labelled.</summary>
/// <param name="Threshold">The route threshold: the cheapest tier whose probability reaches it is chosen.</param>
/// <param name="SmallShare">Share of requests sent to small.</param>
/// <param name="MidShare">Share sent to mid.</param>
/// <param name="FrontierShare">Share sent to frontier.</param>
/// <param name="QualityRetained">Routed mean score over all-frontier mean; NaN without labels.</param>
/// <param name="CostShare">Routed cost over all-frontier cost.</param>
public sealed record ThresholdChoice(double Threshold, double SmallShare, double MidShare, double FrontierShare, double QualityRetained, double CostShare);

/// <summary>
/// Picks a route threshold on a sample of requests, under the gateway's rule "cheapest tier whose
/// probability reaches the threshold, else frontier" (p_small ≤ p_mid, so frontier iff p_mid &lt; t).
/// </summary>
public static class ThresholdCalibrator
{
    /// <summary>The lowest threshold whose frontier share stays at or below <paramref name="frontierShare"/> (labels not needed).</summary>
    public static ThresholdChoice ForFrontierShare(IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, double frontierShare, bool allowSmall, TierPrices prices)
    {
        ArgumentNullException.ThrowIfNull(pSmall);
        ArgumentNullException.ThrowIfNull(pMid);
        ArgumentNullException.ThrowIfNull(prices);
        if (pMid.Count == 0) throw new ArgumentException("The sample is empty.", nameof(pMid));
        var sorted = pMid.ToArray();
        Array.Sort(sorted);
        var k = (int)Math.Floor(Math.Clamp(frontierShare, 0, 1) * sorted.Length);
        var threshold = k >= sorted.Length ? 1.0 : sorted[k];
        return Describe(threshold, pSmall, pMid, null, allowSmall, prices);
    }

    /// <summary>
    /// The cheapest threshold whose quality retained reaches <paramref name="quality"/> on labelled
    /// rows. <paramref name="scores"/> holds [small, mid, frontier] per row (NaN: unknown; a tier
    /// with an unknown score is never chosen for that row, the next tier up is).
    /// </summary>
    public static ThresholdChoice ForQuality(IReadOnlyList<double[]> scores, IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, double quality, bool allowSmall, TierPrices prices)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(pSmall);
        ArgumentNullException.ThrowIfNull(pMid);
        if (scores.Count == 0) throw new ArgumentException("The sample is empty.", nameof(scores));
        var candidates = new SortedSet<double>(pMid) { 1.0 };
        if (allowSmall) candidates.UnionWith(pSmall);
        ThresholdChoice? best = null;
        foreach (var t in candidates)
        {
            var choice = Describe(t, pSmall, pMid, scores, allowSmall, prices);
            if (choice.QualityRetained >= quality && (best is null || choice.CostShare < best.CostShare)) best = choice;
        }

        return best ?? Describe(double.PositiveInfinity, pSmall, pMid, scores, allowSmall, prices);
    }

    private static ThresholdChoice Describe(double t, IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, IReadOnlyList<double[]>? scores, bool allowSmall, TierPrices prices)
    {
        var n = pMid.Count;
        double small = 0, mid = 0, frontier = 0, quality = 0, best = 0, cost = 0;
        for (var i = 0; i < n; i++)
        {
            var row = scores?[i];
            var tier = allowSmall && pSmall[i] >= t && (row is null || !double.IsNaN(row[0])) ? 0
                : pMid[i] >= t && (row is null || !double.IsNaN(row[1])) ? 1 : 2;
            if (tier == 0) small++;
            else if (tier == 1) mid++;
            else frontier++;
            cost += tier switch { 0 => prices.Small, 1 => prices.Mid, _ => prices.Frontier };
            if (row is not null)
            {
                quality += row[tier];
                best += row[2];
            }
        }

        var retained = scores is null || best == 0 ? double.NaN : quality / best;
        return new ThresholdChoice(t, small / n, mid / n, frontier / n, retained, cost / (n * prices.Frontier));
    }
}
