using RightSize.Classification;
using RightSize.Training.Evaluation;

namespace RightSize.Training.Tests;

public class ThresholdCalibratorTests
{
    private static readonly TierPrices Prices = TierPrices.Default;

    [Fact]
    public void ForFrontierShare_ThresholdBetweenPrintedSteps_RoundsDownSoTheShareStaysWithinBudget()
    {
        // The 4th lowest p_mid is 0.40005: rounding it up to 0.4001 would send 4 of 10 to the frontier.
        double[] pMid = [0.1, 0.2, 0.40003, 0.40005, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
        var choice = ThresholdCalibrator.ForFrontierShare(pMid, pMid, 0.3, allowSmall: false, Prices);
        Assert.Equal(0.4, choice.Threshold);
        Assert.Equal(0.2, choice.FrontierShare, 9);
        Assert.Equal(0.8, choice.MidShare, 9);
        Assert.True(choice.TargetReached);
    }

    [Fact]
    public void ForFrontierShare_SmallAboveMid_CountsTheRowAsCheap()
    {
        // A dropped-in model need not keep p_small <= p_mid; the gateway then picks small for row 0.
        double[] pSmall = [0.9, 0.1, 0.1, 0.1];
        double[] pMid = [0.2, 0.3, 0.6, 0.7];
        var choice = ThresholdCalibrator.ForFrontierShare(pSmall, pMid, 0.25, allowSmall: true, Prices);
        Assert.Equal(0.6, choice.Threshold); // only row 1 (0.3) is under it; p_mid alone would stop at 0.3
        Assert.Equal(0.25, choice.FrontierShare, 9);
        Assert.Equal(0.25, choice.SmallShare, 9);
    }

    [Fact]
    public void ForQuality_OnlyProbabilitiesOfOne_ReportsTheTargetOutOfReach()
    {
        double[][] scores = [[0, 1, 1], [1, 1, 1]];
        double[] p = [1.0, 1.0];
        var choice = ThresholdCalibrator.ForQuality(scores, p, p, 0.9, allowSmall: true, Prices);
        Assert.False(choice.TargetReached);
        Assert.Equal(1.0, choice.Threshold);
        Assert.Equal(1.0, choice.SmallShare, 9); // what threshold 1 really does, not what an all-frontier route would
        Assert.Equal(0.5, choice.QualityRetained, 9);
    }

    [Fact]
    public void ForQuality_RowsWithoutASmallScore_AreRoutedAsTheGatewayRoutesThemAndLeftOutOfQuality()
    {
        // Every row is sure small will do; rows 0-3 have no small score (40% of the sample).
        double[][] scores =
        [
            [double.NaN, 1, 1], [double.NaN, 1, 1], [double.NaN, 0, 1], [double.NaN, 1, 1],
            [1, 1, 1], [1, 1, 1], [1, 1, 1], [0, 1, 1], [1, 1, 1], [1, 1, 1],
        ];
        double[] pSmall = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
        double[] pMid = [0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95];

        var choice = ThresholdCalibrator.ForQuality(scores, pSmall, pMid, 0.8, allowSmall: true, Prices);

        // At 0.9 the gateway sends all ten to small; until 2026-12-01 the printed mix had 60% small, 40% mid.
        Assert.Equal(0.9, choice.Threshold);
        Assert.Equal(1.0, choice.SmallShare, 9);
        Assert.Equal(0.0, choice.MidShare, 9);
        Assert.Equal(0.6, choice.QualityKnownShare, 9);
        Assert.Equal([4, 0], choice.UnknownQuality);
        Assert.Equal(5.0 / 6, choice.QualityRetained, 9); // rows 4-9 only
        Assert.Equal(1.0 / 20, choice.CostShare, 9);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    public void ForQuality_ProbabilityOutOfRange_NamesTheRow(double bad)
    {
        double[][] scores = [[0, 1, 1], [1, 1, 1]];
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdCalibrator.ForQuality(scores, [0.1, 0.2], [0.3, bad], 0.9, allowSmall: true, Prices));
        Assert.Contains("pMid[1]", ex.Message);
    }

    [Fact]
    public void ForFrontierShare_SmallNotJudgedOnARow_ThatRowNeverGoesToSmall()
    {
        // Row 0's p_small is NaN (not judged): as in the gateway, it goes to mid or the frontier by its p_mid alone.
        var choice = ThresholdCalibrator.ForFrontierShare([double.NaN, 0.9], [0.3, 0.95], 0, allowSmall: true, Prices);
        Assert.Equal(0.3, choice.Threshold);
        Assert.Equal(0.5, choice.SmallShare, 9);
        Assert.Equal(0.5, choice.MidShare, 9);
        Assert.Equal(0, choice.FrontierShare, 9);
    }

    [Fact]
    public void ForFrontierShare_NothingJudged_EverythingToTheFrontierAndTheBudgetOutOfReach()
    {
        var choice = ThresholdCalibrator.ForFrontierShare([double.NaN, double.NaN], [double.NaN, double.NaN], 0.5, allowSmall: true, Prices);
        Assert.False(choice.TargetReached);
        Assert.Equal(1.0, choice.FrontierShare, 9);
    }

    [Theory]
    [InlineData(1, true, 0.9, 0)]
    [InlineData(2, false, 0.95, 0)]
    [InlineData(3, true, 0.97, 0)]
    [InlineData(4, true, 0.99, 0)]
    [InlineData(5, false, 0.8, 0)]
    [InlineData(6, true, 1.0, 0)]
    [InlineData(7, true, 1.05, 0)]
    [InlineData(8, true, 0.95, 0.6)]
    [InlineData(9, false, 0.9, 0.75)]
    [InlineData(10, true, 0.97, 0.9)]
    [InlineData(11, true, 0.9, 1.0)]
    [InlineData(31, true, 0.9, 0, true)] // with the rules' floors: rows a rule keeps off small (or sends to the frontier)
    [InlineData(32, true, 0.97, 0.6, true)]
    [InlineData(33, false, 0.95, 0, true)]
    public void ForQuality_MatchesEveryPrintableThresholdThroughTheGatewayRule(int seed, bool allowSmall, double quality, double minConfidence, bool withFloors = false)
    {
        var (scores, pSmall, pMid) = Sample(seed, 400);
        var lowest = withFloors ? Floors(seed, pMid.Length) : null;
        var fast = ThresholdCalibrator.ForQuality(scores, pSmall, pMid, quality, allowSmall, Prices, minConfidence, lowest);

        // Straightforward: every threshold the configuration can hold, each row decided by
        // DecisionPolicy; the cheapest reaching the target (of equally cheap ones, which route
        // the sample alike, the highest), else the best quality.
        Outcome? best = null, closest = null;
        for (var step = 0; step <= 10_000; step++)
        {
            var o = Evaluate(step / 10_000.0, scores, pSmall, pMid, allowSmall, minConfidence, lowest);
            if (o.Retained >= quality && (best is null || o.Cost <= best.Cost)) best = o;
            if (closest is null || o.Retained > closest.Retained || (o.Retained == closest.Retained && o.Cost <= closest.Cost)) closest = o;
        }

        var expected = best ?? closest!;
        Assert.Equal(best is not null, fast.TargetReached);
        Assert.Equal(expected.Threshold, fast.Threshold);
        Assert.Equal(expected.Shares[0], fast.SmallShare, 12);
        Assert.Equal(expected.Shares[1], fast.MidShare, 12);
        Assert.Equal(expected.Shares[2], fast.FrontierShare, 12);
        Assert.Equal(expected.Retained, fast.QualityRetained, 12);
        Assert.Equal(expected.Cost, fast.CostShare, 12);
    }

    [Theory]
    [InlineData(1, true, 0.3, 0)]
    [InlineData(2, false, 0.2, 0)]
    [InlineData(3, true, 0.0, 0)]
    [InlineData(4, true, 1.0, 0)]
    [InlineData(5, false, 0.5, 0)]
    [InlineData(6, true, 0.7, 0.6)] // DESIGN's example route has MinConfidence 0.6
    [InlineData(7, false, 0.8, 0.8)]
    [InlineData(8, false, 0.95, 0.9)]
    [InlineData(21, true, 0.3, 0, true)] // with the rules' floors
    [InlineData(22, false, 0.4, 0, true)]
    [InlineData(23, true, 0.5, 0.6, true)]
    [InlineData(24, true, 0.9, 0.8, true)]
    public void ForFrontierShare_IsTheHighestPrintableThresholdWithinBudget(int seed, bool allowSmall, double share, double minConfidence, bool withFloors = false)
    {
        var (_, pSmall, pMid) = Sample(seed, 400);
        var lowest = withFloors ? Floors(seed, pMid.Length) : null;
        var fast = ThresholdCalibrator.ForFrontierShare(pSmall, pMid, share, allowSmall, Prices, minConfidence, lowest);

        Outcome? expected = null;
        for (var step = 0; step <= 10_000; step++)
        {
            var o = Evaluate(step / 10_000.0, null, pSmall, pMid, allowSmall, minConfidence, lowest);
            if (o.Shares[2] <= share) expected = o;
        }

        Assert.NotNull(expected); // the targets are within reach of these samples
        Assert.True(fast.TargetReached);
        Assert.Equal(expected.Threshold, fast.Threshold);
        Assert.Equal(expected.Shares[0], fast.SmallShare, 12);
        Assert.Equal(expected.Shares[2], fast.FrontierShare, 12);
        Assert.Equal(expected.Cost, fast.CostShare, 12);
    }

    [Fact]
    public void ForFrontierShare_BudgetOutOfReach_ClosestIsThresholdZeroAndSaysSo()
    {
        // MinConfidence 0.6 escalates every cheaper decision with p under 0.2 even at threshold 0.
        double[] p = [0.05, 0.1, 0.9, 0.95];

        var choice = ThresholdCalibrator.ForFrontierShare(p, p, 0.25, allowSmall: true, Prices, minConfidence: 0.6);

        Assert.False(choice.TargetReached);
        Assert.Equal(0, choice.Threshold);
        Assert.Equal(0.5, choice.FrontierShare, 12);
    }

    [Fact]
    public void ForFrontierShare_RowsARuleKeepsOffSmall_ThresholdIsSetByTheirMidProbability()
    {
        // Small would do for every row, but rows 2 and 3 have tools (Rules:ToolsMinTier mid): the
        // gateway decides them on p_mid alone, so keeping all four off the frontier needs 0.5, not 0.9.
        double[] pSmall = [0.9, 0.9, 0.9, 0.9];
        double[] pMid = [0.95, 0.95, 0.5, 0.5];
        Tier[] lowest = [Tier.Small, Tier.Small, Tier.Mid, Tier.Mid];

        var choice = ThresholdCalibrator.ForFrontierShare(pSmall, pMid, 0, allowSmall: true, Prices, lowest: lowest);

        Assert.Equal(0.5, choice.Threshold);
        Assert.Equal((0.5, 0.5, 0.0), (choice.SmallShare, choice.MidShare, choice.FrontierShare));
        Assert.Equal(((2 * Prices.Small) + (2 * Prices.Mid)) / (4 * Prices.Frontier), choice.CostShare, 12);
    }

    [Fact]
    public void ForQuality_RowARuleSendsToTheFrontier_CountsItThereAtEveryThreshold()
    {
        // Row 1 is a long prompt (Rules:LongPromptTokens): frontier whatever the threshold, so half the cost stays.
        double[][] scores = [[1, 1, 1], [1, 1, 1]];
        double[] p = [0.9, 0.9];

        var choice = ThresholdCalibrator.ForQuality(scores, p, p, 1.0, allowSmall: true, Prices, lowest: [Tier.Small, Tier.Frontier]);

        Assert.Equal((0.5, 0.0, 0.5), (choice.SmallShare, choice.MidShare, choice.FrontierShare));
        Assert.Equal((Prices.Small + Prices.Frontier) / (2 * Prices.Frontier), choice.CostShare, 12);
    }

    /// <summary>The lowest tier the rules allow per row: about a third with tools (mid), a few long prompts (frontier).</summary>
    private static Tier[] Floors(int seed, int n)
    {
        var random = new Random(seed + 1000);
        return [.. Enumerable.Range(0, n).Select(_ => random.Next(10) switch { < 3 => Tier.Mid, 3 => Tier.Frontier, _ => Tier.Small })];
    }

    private sealed record Outcome(double Threshold, double[] Shares, double Retained, double Cost);

    /// <summary>
    /// One threshold through the gateway's own rule: DecisionPolicy over the tiers from the row's
    /// rule floor up (<paramref name="lowest"/>; RoutePolicy makes the others NaN), then RoutePolicy's
    /// escalation of a cheaper tier under MinConfidence.
    /// </summary>
    private static Outcome Evaluate(double threshold, double[][]? scores, double[] pSmall, double[] pMid, bool allowSmall, double minConfidence, Tier[]? lowest = null)
    {
        var counts = new int[3];
        double quality = 0, frontier = 0;
        for (var i = 0; i < pMid.Length; i++)
        {
            // Labels never change the route, as in the gateway; a tier the row has no score for leaves it out of quality.
            var row = scores?[i];
            var floor = lowest?[i] ?? Tier.Small;
            var small = allowSmall && floor == Tier.Small ? (float)pSmall[i] : float.NaN;
            var mid = floor <= Tier.Mid ? (float)pMid[i] : float.NaN;
            var decision = DecisionPolicy.Decide(new TierProbabilities(small, mid), threshold);
            var tier = (int)(decision.Tier < Tier.Frontier && decision.Confidence < minConfidence ? Tier.Frontier : decision.Tier);
            counts[tier]++;
            if (row is not null && !double.IsNaN(row[tier]))
            {
                quality += row[tier];
                frontier += row[2];
            }
        }

        var n = (double)pMid.Length;
        var cost = ((counts[0] * Prices.Small) + (counts[1] * Prices.Mid) + (counts[2] * Prices.Frontier)) / (n * Prices.Frontier);
        return new Outcome(threshold, [counts[0] / n, counts[1] / n, counts[2] / n], scores is null ? double.NaN : quality / frontier, cost);
    }

    /// <summary>
    /// Float probabilities like the model's, with ties, exact 0 and 1, values on and a hair either
    /// side of printable thresholds; scores in quarters (so sums are exact), a cheaper tier right
    /// about as often as its probability says, some small scores unknown.
    /// </summary>
    private static (double[][] Scores, double[] PSmall, double[] PMid) Sample(int seed, int n)
    {
        var random = new Random(seed);
        var scores = new double[n][];
        var pSmall = new double[n];
        var pMid = new double[n];
        for (var i = 0; i < n; i++)
        {
            var mid = random.Next(6) switch
            {
                0 => (float)(random.Next(10_001) / 10_000.0),
                1 => MathF.BitIncrement((float)(random.Next(10_000) / 10_000.0)),
                2 => MathF.BitDecrement((float)(random.Next(1, 10_001) / 10_000.0)),
                3 => random.Next(2),
                4 => (float)pMid[random.Next(Math.Max(i, 1))],
                _ => random.NextSingle(),
            };
            pMid[i] = mid;
            pSmall[i] = random.Next(8) == 0 ? Math.Min(1f, mid + 0.1f) : mid * random.NextSingle();
            double Score(double p) => random.NextDouble() < p ? 1 : random.Next(4) / 4.0;
            scores[i] = [random.Next(4) == 0 ? double.NaN : Score(pSmall[i]), Score(pMid[i]), Score(0.9)];
        }

        return (scores, pSmall, pMid);
    }
}
