namespace RightSize.Training.Evaluation;

/// <summary>
/// Cost of three-tier routing at a quality target. The model's router sends a row to the
/// cheapest tier whose probability reaches one shared threshold; the threshold is swept and the
/// cheapest setting whose quality retained (relative to all-frontier) reaches the target wins,
/// with linear mixing between neighbouring settings. Costs are shares of all-frontier.
/// </summary>
public static class ThreeTierRouting
{
    /// <summary>The model's cost share at <paramref name="qualityRetained"/>; scores are [small, mid, frontier] per row.</summary>
    public static double ModelCostShare(IReadOnlyList<double[]> scores, IReadOnlyList<double> pSmall, IReadOnlyList<double> pMid, double qualityRetained, TierPrices prices)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(pSmall);
        ArgumentNullException.ThrowIfNull(pMid);
        ArgumentNullException.ThrowIfNull(prices);
        var n = scores.Count;
        var thresholds = new List<double>(2 * n + 1);
        for (var i = 0; i < n; i++)
        {
            thresholds.Add(pSmall[i]);
            thresholds.Add(pMid[i]);
        }

        thresholds.Add(double.PositiveInfinity);
        thresholds.Sort();
        var target = qualityRetained * Mean(scores, 2);
        var bySmall = AscendingOrder(pSmall);
        var byMid = AscendingOrder(pMid);

        // At threshold t a row is on small while p_small >= t, then on mid while p_mid >= t, then
        // on the frontier. Sweeping t upwards moves each row at most twice, so the sweep after the
        // sort is linear. Every row starts on small (t is at most every p_small at first).
        var tiers = new int[n];
        double qualitySum = 0;
        foreach (var row in scores) qualitySum += row[0];
        var costSum = n * prices.Small;
        int small = 0, mid = 0;
        var best = 1.0;
        double? previousQuality = null, previousCost = null;
        double lastThreshold = double.NaN;
        foreach (var t in thresholds)
        {
            if (t.Equals(lastThreshold)) continue;
            lastThreshold = t;
            for (; small < n && pSmall[bySmall[small]] < t; small++) Move(bySmall[small], pMid[bySmall[small]] >= t ? 1 : 2);
            for (; mid < n && pMid[byMid[mid]] < t; mid++)
            {
                if (tiers[byMid[mid]] == 1) Move(byMid[mid], 2);
            }

            var quality = qualitySum / n;
            var cost = costSum / (n * prices.Frontier);
            if (quality >= target) best = Math.Min(best, cost);
            if (previousQuality is { } pq && previousCost is { } pc && (pq - target) * (quality - target) < 0)
            {
                var mix = (target - pq) / (quality - pq);
                best = Math.Min(best, pc + (mix * (cost - pc)));
            }

            previousQuality = quality;
            previousCost = cost;
        }

        return best;

        void Move(int row, int tier)
        {
            qualitySum += scores[row][tier] - scores[row][tiers[row]];
            costSum += Price(prices, tier) - Price(prices, tiers[row]);
            tiers[row] = tier;
        }
    }

    /// <summary>The best random mixture of whole tiers that reaches the target.</summary>
    public static double RandomCostShare(IReadOnlyList<double[]> scores, double qualityRetained, TierPrices prices)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(prices);
        var q = new[] { Mean(scores, 0), Mean(scores, 1), Mean(scores, 2) };
        var c = new[] { prices.Small / prices.Frontier, prices.Mid / prices.Frontier, 1.0 };
        var target = qualityRetained * q[2];
        var best = 1.0;
        for (var i = 0; i < 3; i++)
        {
            if (q[i] >= target) best = Math.Min(best, c[i]);
            for (var j = 0; j < 3; j++)
            {
                if (q[i] < target && q[j] > target)
                {
                    var share = (target - q[i]) / (q[j] - q[i]); // of tier j
                    best = Math.Min(best, ((1 - share) * c[i]) + (share * c[j]));
                }
            }
        }

        return best;
    }

    /// <summary>
    /// The oracle, the floor of any router that may mix tiers per row: each row on its best-scoring
    /// tier (the cheapest of equals), which scores at least the frontier, so the whole at least
    /// all-frontier, often more; then the quality above the target spent on the moves to a cheaper
    /// tier that save most per point lost, the last one in part (that row mixed between two tiers,
    /// as the model's and the random figures mix). A row's moves follow the lower hull of its
    /// (price, score) points, so a row can go on from mid to small; with one move at most, from its
    /// cheapest tier scoring at least the frontier's, a row only mid answered would stay on small,
    /// its quality never bought, and the oracle could cost more than the model.
    /// </summary>
    public static double OracleCostShare(IReadOnlyList<double[]> scores, double qualityRetained, TierPrices prices)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(prices);
        var n = scores.Count;
        var target = qualityRetained * Mean(scores, 2) * n;
        double cost = 0, quality = 0;
        var moves = new List<(double Ratio, double Loss, double Saving, int Row, int Step)>();
        var rowIndex = 0;
        foreach (var row in scores)
        {
            var tier = BestTier(row);
            cost += Price(prices, tier);
            quality += row[tier];
            AddHullMoves(row, tier, prices, rowIndex++, moves);
        }

        // Along a row's hull the savings per point lost fall, so this order keeps each row's moves in turn.
        moves.Sort((a, b) => a.Ratio != b.Ratio ? b.Ratio.CompareTo(a.Ratio) : a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Step.CompareTo(b.Step));
        var slack = quality - target;
        foreach (var move in moves)
        {
            if (move.Loss <= slack)
            {
                slack -= move.Loss;
                cost -= move.Saving;
                continue;
            }

            if (slack > 0) cost -= move.Saving * (slack / move.Loss);
            break;
        }

        return cost / (n * prices.Frontier);
    }

    /// <summary>The row's highest-scoring tier, the cheapest of those that score the same.</summary>
    private static int BestTier(double[] row)
    {
        var best = 0;
        for (var tier = 1; tier < 3; tier++)
        {
            if (row[tier] > row[best]) best = tier;
        }

        return best;
    }

    /// <summary>
    /// The moves of one row from <paramref name="tier"/> down to small: each to the cheaper tier
    /// that saves most per point of score lost from where the last one ended.
    /// </summary>
    private static void AddHullMoves(double[] row, int tier, TierPrices prices, int rowIndex, List<(double Ratio, double Loss, double Saving, int Row, int Step)> moves)
    {
        var step = 0;
        for (var from = tier; from > 0;)
        {
            var next = 0;
            var bestRatio = double.NegativeInfinity;
            for (var to = 0; to < from; to++)
            {
                var loss = row[from] - row[to];
                var ratio = loss <= 0 ? double.PositiveInfinity : (Price(prices, from) - Price(prices, to)) / loss;
                if (ratio > bestRatio)
                {
                    bestRatio = ratio;
                    next = to;
                }
            }

            moves.Add((bestRatio, Math.Max(0, row[from] - row[next]), Price(prices, from) - Price(prices, next), rowIndex, step++));
            from = next;
        }
    }

    private static int[] AscendingOrder(IReadOnlyList<double> values)
    {
        var order = new int[values.Count];
        var keys = new double[values.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = values[i];
        }

        Array.Sort(keys, order);
        return order;
    }

    private static double Price(TierPrices prices, int tier) => tier switch { 0 => prices.Small, 1 => prices.Mid, _ => prices.Frontier };

    private static double Mean(IReadOnlyList<double[]> scores, int tier)
    {
        double sum = 0;
        foreach (var row in scores) sum += row[tier];
        return sum / scores.Count;
    }
}
