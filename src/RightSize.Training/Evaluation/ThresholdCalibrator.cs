using RightSize.Classification;

namespace RightSize.Training.Evaluation;

/// <summary>What a route threshold does on a sample: the tier mix, and quality and cost when the sample is labelled.</summary>
/// <param name="Threshold">The route threshold: the cheapest tier whose probability reaches it is chosen.</param>
/// <param name="SmallShare">Share of requests sent to small.</param>
/// <param name="MidShare">Share sent to mid.</param>
/// <param name="FrontierShare">Share sent to frontier.</param>
/// <param name="QualityRetained">
/// Routed mean score over all-frontier mean, on the requests whose routed tier has a score
/// (<see cref="QualityKnownShare"/>); NaN without labels.
/// </param>
/// <param name="CostShare">Routed cost over all-frontier cost.</param>
public sealed record ThresholdChoice(double Threshold, double SmallShare, double MidShare, double FrontierShare, double QualityRetained, double CostShare)
{
    /// <summary>
    /// Share of requests whose routed tier has a score, the requests <see cref="QualityRetained"/>
    /// is measured on; NaN without labels. Under 1 when a request goes to a tier its row did not
    /// score (a row without a small score that the threshold sends to small, as the gateway would).
    /// </summary>
    public double QualityKnownShare { get; init; } = double.NaN;

    /// <summary>How many requests the threshold sends to a tier their row has no score for, per tier (small, mid); zeros without labels.</summary>
    public IReadOnlyList<int> UnknownQuality { get; init; } = [0, 0];

    /// <summary>Whether the threshold meets the target; when no threshold does, the choice is the closest one.</summary>
    public bool TargetReached { get; init; } = true;
}

/// <summary>
/// Picks a route threshold on a sample of requests, under the gateway's rule (DecisionPolicy and
/// the route's <c>MinConfidence</c>): the cheapest tier whose probability reaches the threshold,
/// unless that decision's confidence is under <c>MinConfidence</c>; else frontier. A tier the
/// model does not judge (probability NaN) is skipped, as the gateway skips it, and so is a tier
/// below the lowest one the route's request-shape rules allow for the row (<c>lowest</c>, from
/// <c>RequestRules.LowestTier</c>: a row with tools is never sent to small under the default
/// <c>Rules:ToolsMinTier</c>, whatever the threshold), as the gateway decides again above a
/// rule's floor. A threshold is
/// a multiple of 10^-<see cref="Decimals"/> in [0, 1], what the command prints and the
/// configuration holds, and the figures are those of that very threshold. Like the gateway,
/// this compares probabilities and the threshold as float32 (the model's output type).
/// </summary>
public static class ThresholdCalibrator
{
    /// <summary>The decimals of a chosen threshold.</summary>
    public const int Decimals = 4;

    /// <summary>The printable thresholds are the multiples of 1/<see cref="Steps"/>: 10^<see cref="Decimals"/>.</summary>
    private static readonly int Steps = (int)Math.Pow(10, Decimals);

    /// <summary>
    /// The highest threshold whose frontier share stays at or below <paramref name="frontierShare"/>
    /// (labels not needed): the least routing to cheaper tiers the budget requires. With a
    /// <paramref name="minConfidence"/> over 0.5 the share is not monotone in the threshold (rows
    /// just over it escalate), so every threshold that routes the sample differently is tried.
    /// <paramref name="lowest"/> holds the lowest tier the route's rules allow per row (null: small for every row).
    /// </summary>
    public static ThresholdChoice ForFrontierShare(IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, double frontierShare, bool allowSmall, TierPrices prices, double minConfidence = 0, IReadOnlyList<Tier>? lowest = null)
    {
        CheckSample(pSmall, pMid, prices, lowest);
        if (!(frontierShare is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(frontierShare), frontierShare, "The frontier share must be between 0 and 1.");

        ThresholdChoice? best = null;
        foreach (var choice in Sweep(null, pSmall, pMid, allowSmall, minConfidence, prices, lowest))
        {
            if (choice.FrontierShare <= frontierShare) best = choice;
        }

        // Threshold 0 sends every row it can to a cheaper tier; when even that is over budget, it is the closest.
        return best ?? Describe(0, pSmall, pMid, null, allowSmall, minConfidence, prices, lowest) with { TargetReached = false };
    }

    /// <summary>
    /// The cheapest threshold whose quality retained reaches <paramref name="quality"/> on labelled
    /// rows (of equally cheap ones, which route the sample alike, the highest). <paramref name="scores"/>
    /// holds [small, mid, frontier] per row (NaN: unknown). Rows are routed by their probabilities
    /// alone, as the gateway routes them, so the tier mix and cost count every row; a row sent to a
    /// tier it has no score for counts towards the mix and the cost but not towards quality, which
    /// is measured on the other rows (<see cref="ThresholdChoice.QualityKnownShare"/>), so that the
    /// printed mix is the gateway's.
    /// When no threshold reaches the target, the one with the best quality, and
    /// <see cref="ThresholdChoice.TargetReached"/> false. <paramref name="lowest"/> as for <see cref="ForFrontierShare"/>.
    /// </summary>
    public static ThresholdChoice ForQuality(IReadOnlyList<double[]> scores, IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, double quality, bool allowSmall, TierPrices prices, double minConfidence = 0, IReadOnlyList<Tier>? lowest = null)
    {
        CheckSample(pSmall, pMid, prices, lowest);
        CheckScores(scores, pMid.Count);
        if (double.IsNaN(quality)) throw new ArgumentOutOfRangeException(nameof(quality), quality, "The quality target must be a number.");

        ThresholdChoice? best = null, closest = null;
        foreach (var choice in Sweep(scores, pSmall, pMid, allowSmall, minConfidence, prices, lowest))
        {
            // Equal cost means the same routing of the sample, so on a tie the later, higher
            // threshold wins: same figures, more margin.
            if (choice.QualityRetained >= quality && (best is null || choice.CostShare <= best.CostShare)) best = choice;
            if (closest is null || double.IsNaN(closest.QualityRetained) || choice.QualityRetained > closest.QualityRetained
                || (choice.QualityRetained == closest.QualityRetained && choice.CostShare <= closest.CostShare))
            {
                closest = choice;
            }
        }

        return best ?? closest! with { TargetReached = false };
    }

    /// <summary>
    /// What every threshold that routes the sample differently does, lowest first: the highest
    /// printable threshold of each stretch where no row changes tier.
    /// </summary>
    /// <remarks>
    /// A row changes tier only where the threshold passes its small or mid probability, or the
    /// point past which that tier's confidence falls under <paramref name="minConfidence"/>. The
    /// sweep sorts those points once and moves only the rows that change: O(n log n), not a pass
    /// over the sample per candidate.
    /// </remarks>
    private static IEnumerable<ThresholdChoice> Sweep(IReadOnlyList<double[]>? scores, IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, bool allowSmall, double minConfidence, TierPrices prices, IReadOnlyList<Tier>? lowest)
    {
        var n = pMid.Count;
        var small = new double[n];
        var mid = new double[n];
        var changes = new List<(double At, int Row)>(4 * n);
        for (var i = 0; i < n; i++)
        {
            small[i] = At(pSmall[i], Serves(Tier.Small, i, allowSmall, lowest));
            mid[i] = At(pMid[i], Serves(Tier.Mid, i, allowSmall, lowest));
            foreach (var p in (ReadOnlySpan<double>)[small[i], mid[i]])
            {
                if (p < 0) continue;
                changes.Add((p, i));
                if (ConfidentUpTo(p, minConfidence) is { } edge) changes.Add((edge, i));
            }
        }

        changes.Sort((a, b) => a.At.CompareTo(b.At));
        var candidates = new SortedSet<double>(changes.Where(c => c.At >= 0).Select(c => AtOrBelow(c.At))) { 1.0 };

        var tiers = new Tier[n];
        var tally = new Tally(scores);
        var first = Effective(candidates.Min);
        for (var i = 0; i < n; i++) tally.Add(tiers[i] = TierAt(first, small[i], mid[i], minConfidence), i);

        var next = 0;
        foreach (var candidate in candidates)
        {
            var t = Effective(candidate);
            for (; next < changes.Count && changes[next].At < t; next++)
            {
                var row = changes[next].Row;
                var tier = TierAt(t, small[row], mid[row], minConfidence);
                if (tier == tiers[row]) continue;
                tally.Remove(tiers[row], row);
                tally.Add(tiers[row] = tier, row);
            }

            yield return tally.Describe(candidate, prices);
        }
    }

    /// <summary>
    /// The highest threshold at which a probability <paramref name="p"/> that reaches it still
    /// decides with confidence <paramref name="minConfidence"/> (DecisionPolicy.Confidence:
    /// 0.5 + 0.5 (p − t) / (1 − t)); null when <paramref name="minConfidence"/> never escalates.
    /// </summary>
    private static double? ConfidentUpTo(double p, double minConfidence)
    {
        if (minConfidence <= 0.5) return null;
        var c = (2 * minConfidence) - 1;
        if (c >= 1) return p >= 1 ? 1 : -1;
        return (p - c) / (1 - c);
    }

    /// <summary>What <paramref name="threshold"/> does on the sample; <paramref name="scores"/> null for an unlabelled one.</summary>
    private static ThresholdChoice Describe(double threshold, IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, IReadOnlyList<double[]>? scores, bool allowSmall, double minConfidence, TierPrices prices, IReadOnlyList<Tier>? lowest)
    {
        var t = Effective(threshold);
        var tally = new Tally(scores);
        for (var i = 0; i < pMid.Count; i++)
        {
            var smallAt = At(pSmall[i], Serves(Tier.Small, i, allowSmall, lowest));
            var midAt = At(pMid[i], Serves(Tier.Mid, i, allowSmall, lowest));
            tally.Add(TierAt(t, smallAt, midAt, minConfidence), i);
        }

        return tally.Describe(threshold, prices);
    }

    /// <summary>
    /// Whether row <paramref name="row"/> may go to the cheaper <paramref name="tier"/>: the route
    /// has it (small only with <paramref name="allowSmall"/>) and the row's rules allow it
    /// (<paramref name="lowest"/>, as RoutePolicy's candidates from a rule's floor up).
    /// </summary>
    private static bool Serves(Tier tier, int row, bool allowSmall, IReadOnlyList<Tier>? lowest) =>
        (tier != Tier.Small || allowSmall) && (lowest is null || lowest[row] <= tier);

    /// <summary>
    /// A row's probability for a tier as the sweep compares it, or -1 for never that tier on this
    /// row: the route does not serve it (<paramref name="usable"/> false), or the model does not
    /// judge it (NaN), which the gateway skips likewise. A row's labels never matter here.
    /// </summary>
    private static double At(double p, bool usable) => usable && !double.IsNaN(p) ? AsFloat(p) : -1;

    /// <summary>The highest printable threshold that a probability <paramref name="p"/> still reaches.</summary>
    private static double AtOrBelow(double p)
    {
        if (p >= 1) return 1.0;
        var step = (int)Math.Floor(p * Steps);
        while (step < Steps && Effective((double)(step + 1) / Steps) <= p) step++;
        while (step > 0 && Effective((double)step / Steps) > p) step--;
        return (double)step / Steps;
    }

    /// <summary>The threshold as the gateway compares it with a float32 probability.</summary>
    private static double Effective(double threshold) => (float)threshold;

    /// <summary>A probability as the model gives it to the gateway: float32.</summary>
    private static double AsFloat(double p) => (float)p;

    /// <summary>The gateway's rule for one row: the cheapest tier that reaches <paramref name="t"/>, unless its confidence is under <paramref name="minConfidence"/>.</summary>
    private static Tier TierAt(double t, double small, double mid, double minConfidence)
    {
        var (tier, p) = small >= t ? (Tier.Small, small) : mid >= t ? (Tier.Mid, mid) : (Tier.Frontier, double.NaN);
        return DecisionPolicy.EscalatesForLowConfidence(tier, DecisionPolicy.Confidence(p, t), minConfidence) ? Tier.Frontier : tier;
    }

    private static void CheckSample(IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, TierPrices prices, IReadOnlyList<Tier>? lowest)
    {
        ArgumentNullException.ThrowIfNull(pSmall);
        ArgumentNullException.ThrowIfNull(pMid);
        ArgumentNullException.ThrowIfNull(prices);
        if (pMid.Count == 0) throw new ArgumentException("The sample is empty.", nameof(pMid));
        if (pSmall.Count != pMid.Count) throw new ArgumentException("pSmall and pMid differ in length.", nameof(pSmall));
        if (lowest is not null && lowest.Count != pMid.Count) throw new ArgumentException("lowest and the probabilities differ in length.", nameof(lowest));
        for (var i = 0; i < pMid.Count; i++)
        {
            // NaN: the model does not judge the tier for this row.
            if (!(pSmall[i] is >= 0 and <= 1 || double.IsNaN(pSmall[i]))) throw new ArgumentOutOfRangeException(nameof(pSmall), pSmall[i], $"pSmall[{i}] is not a probability.");
            if (!(pMid[i] is >= 0 and <= 1 || double.IsNaN(pMid[i]))) throw new ArgumentOutOfRangeException(nameof(pMid), pMid[i], $"pMid[{i}] is not a probability.");
        }
    }

    private static void CheckScores(IReadOnlyList<double[]> scores, int count)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != count) throw new ArgumentException("scores and probabilities differ in length.", nameof(scores));
        for (var i = 0; i < count; i++)
        {
            if (scores[i] is not { Length: 3 } row || !double.IsFinite(row[2]) || double.IsInfinity(row[0]) || double.IsInfinity(row[1]))
            {
                throw new ArgumentException($"scores[{i}] must be [small, mid, frontier] with a known frontier score (NaN: unknown).", nameof(scores));
            }
        }
    }

    /// <summary>
    /// Tier counts and score sums that rows can join and leave in any order with the same result:
    /// decimal sums are exact for scores of up to 15 significant digits, where doubles would drift.
    /// A row on a tier it has no score for is counted, but left out of both quality sums.
    /// </summary>
    private sealed class Tally(IReadOnlyList<double[]>? scores)
    {
        private readonly int[] _counts = new int[3];
        private readonly int[] _unknown = new int[2];
        private decimal _quality;
        private decimal _frontier;

        public void Add(Tier tier, int row) => Move(tier, row, +1);

        public void Remove(Tier tier, int row) => Move(tier, row, -1);

        public ThresholdChoice Describe(double threshold, TierPrices prices)
        {
            double n = _counts[0] + _counts[1] + _counts[2];
            var retained = scores is null || _frontier == 0 ? double.NaN : (double)_quality / (double)_frontier;
            var cost = ((_counts[0] * prices.Small) + (_counts[1] * prices.Mid) + (_counts[2] * prices.Frontier)) / (n * prices.Frontier);
            return new ThresholdChoice(threshold, _counts[0] / n, _counts[1] / n, _counts[2] / n, retained, cost)
            {
                QualityKnownShare = scores is null ? double.NaN : (n - _unknown[0] - _unknown[1]) / n,
                UnknownQuality = [_unknown[0], _unknown[1]],
            };
        }

        private void Move(Tier tier, int row, int sign)
        {
            _counts[(int)tier] += sign;
            if (scores is null) return;
            if (double.IsNaN(scores[row][(int)tier]))
            {
                _unknown[(int)tier] += sign; // the frontier's score is always known (CheckScores)
                return;
            }

            _quality += sign * (decimal)scores[row][(int)tier];
            _frontier += sign * (decimal)scores[row][(int)Tier.Frontier];
        }
    }
}
