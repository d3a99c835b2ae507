using RightSize.Training.Evaluation;

namespace RightSize.Training.Tests;

public class ThreeTierRoutingTests
{
    // Four rows: small right on two, mid right on three, frontier right on all.
    private static readonly double[][] Scores = [[1, 1, 1], [1, 1, 1], [0, 1, 1], [0, 0, 1]];

    [Fact]
    public void Oracle_SendsEachRowToCheapestGoodTier()
    {
        // At 100%: 2 small + 1 mid + 1 frontier = (1 + 1 + 4 + 20) / 80.
        Assert.Equal(26.0 / 80, ThreeTierRouting.OracleCostShare(Scores, 1.0, TierPrices.Default), 9);
    }

    [Fact]
    public void Oracle_SpendsTheQualityItsCheapTiersWinAboveTheFrontier()
    {
        // Row 1: small and mid right, frontier wrong; row 2: only the frontier right. Starting on
        // each row's cheapest good-enough tier scores 2 against all-frontier's 1, so at 95% the
        // oracle can also send row 2 to small: (1 + 1) / 40, as all-small does (quality 1 of 1).
        double[][] scores = [[1, 1, 0], [0, 0, 1]];

        Assert.Equal(2.0 / 40, ThreeTierRouting.OracleCostShare(scores, 0.95, TierPrices.Default), 9);
    }

    [Fact]
    public void Oracle_GradedScores_GoesOnPastMidToSmall()
    {
        // Small keeps 0.93 / 0.96 = 97 % of the frontier's quality: at 95 % every row can go to
        // small, as all-small does (1 / 20). The first move, to mid, saves most per point lost.
        double[][] scores = [[0.93, 0.95, 0.96], [0.93, 0.95, 0.96]];

        Assert.Equal(1.0 / 20, ThreeTierRouting.OracleCostShare(scores, 0.95, TierPrices.Default), 9);
        Assert.True(ThreeTierRouting.OracleCostShare(scores, 0.95, TierPrices.Default) <= ThreeTierRouting.RandomCostShare(scores, 0.95, TierPrices.Default));
    }

    [Fact]
    public void Oracle_ARowOnlyMidAnswers_ItsQualityPaysForAnother()
    {
        // Row 1 only mid answers, row 2 only the frontier: all-frontier scores 1 of 2. Mid on row 1
        // scores that 1 for 4; the 0.05 still above 95 % buys 5 % of row 1 going down to small.
        double[][] scores = [[0, 1, 0], [0, 0, 1]];

        Assert.Equal((4 + 1 - (3 * 0.05)) / 40, ThreeTierRouting.OracleCostShare(scores, 0.95, TierPrices.Default), 9);
        Assert.True(ThreeTierRouting.OracleCostShare(scores, 0.95, TierPrices.Default) <= ThreeTierRouting.ModelCostShare(scores, [0, 1], [1, 0], 0.95, TierPrices.Default) + 1e-12);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void Oracle_NeverDearerThanTheBestWholeTierPerRow(int seed, bool graded)
    {
        // Every way of giving each of 7 rows one whole tier (3^7): the oracle, which may also mix
        // one row's tiers, costs no more than the cheapest way that reaches the target.
        var random = new Random(seed);
        var scores = Enumerable.Range(0, 7).Select(_ => Enumerable.Range(0, 3).Select(_ => graded ? random.NextDouble() : random.Next(2)).ToArray()).ToList();
        double[] price = [1, 4, 20];
        var target = 0.95 * scores.Average(r => r[2]) * scores.Count;
        var cheapest = double.PositiveInfinity;
        for (var assignment = 0; assignment < 2187; assignment++)
        {
            double quality = 0, cost = 0;
            for (int row = 0, rest = assignment; row < scores.Count; row++, rest /= 3)
            {
                quality += scores[row][rest % 3];
                cost += price[rest % 3];
            }

            if (quality >= target - 1e-12) cheapest = Math.Min(cheapest, cost / (20.0 * scores.Count));
        }

        Assert.True(ThreeTierRouting.OracleCostShare(scores, 0.95, TierPrices.Default) <= cheapest + 1e-12);
    }

    [Fact]
    public void Oracle_LastMoveTakenInPart()
    {
        // Two rows only the frontier answers: at 75 % half a row's quality may go, so one row is
        // mixed half frontier, half small: (20 + 10 + 0.5) / 40, what the random mix costs too.
        double[][] scores = [[0, 0, 1], [0, 0, 1]];

        Assert.Equal(30.5 / 40, ThreeTierRouting.OracleCostShare(scores, 0.75, TierPrices.Default), 9);
        Assert.Equal(30.5 / 40, ThreeTierRouting.RandomCostShare(scores, 0.75, TierPrices.Default), 9);
    }

    [Fact]
    public void PerfectModel_MatchesOracleAtFullQuality()
    {
        double[] pSmall = [0.9, 0.9, 0.1, 0.1];
        double[] pMid = [0.95, 0.95, 0.9, 0.1];
        Assert.Equal(26.0 / 80, ThreeTierRouting.ModelCostShare(Scores, pSmall, pMid, 1.0, TierPrices.Default), 9);
    }

    [Fact]
    public void Random_MixesWholeTiers()
    {
        // Quality: small 0.5, mid 0.75, frontier 1. At 95%: mid/frontier mix with 20% mid: 0.2*0.2 + 0.8*1.
        Assert.Equal((0.2 * 0.2) + 0.8, ThreeTierRouting.RandomCostShare(Scores, 0.95, TierPrices.Default), 9);
    }

    [Fact]
    public void ImperfectModel_MixesTheSettingsEitherSideOfTheTarget()
    {
        // Row 2 (small wrong) is ranked above row 1 for small. Sweeping the threshold: at 0.8 the
        // rows go small, mid, small, frontier (quality 0.75, cost 26/80); at 0.85 row 2 moves to
        // mid (quality 1, cost 29/80). 95% lies 0.8 of the way: 26/80 + 0.8 · 3/80 = 28.4/80.
        double[] pSmall = [0.9, 0.2, 0.8, 0.1];
        double[] pMid = [0.95, 0.9, 0.85, 0.3];
        Assert.Equal(28.4 / 80, ThreeTierRouting.ModelCostShare(Scores, pSmall, pMid, 0.95, TierPrices.Default), 9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ModelCostShare_Sweep_AgreesWithRecomputingEveryThreshold(int seed)
    {
        // Random rows with coarse probabilities, so that many thresholds tie.
        var random = new Random(seed);
        var scores = Enumerable.Range(0, 300).Select(_ => new double[] { random.Next(2), random.Next(2), random.Next(2) }).ToList();
        var pSmall = scores.Select(_ => Math.Round(random.NextDouble(), 1)).ToList();
        var pMid = scores.Select(_ => Math.Round(random.NextDouble(), 1)).ToList();

        foreach (var quality in new[] { 0.8, 0.95, 1.0 })
        {
            Assert.Equal(Reference(scores, pSmall, pMid, quality, TierPrices.Default), ThreeTierRouting.ModelCostShare(scores, pSmall, pMid, quality, TierPrices.Default), 12);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Oracle_GradedScores_NeverDearerThanTheModelOrRandom(int seed)
    {
        // Scores between 0 and 1, as a judge gives them: the oracle is the floor any router can reach.
        var random = new Random(seed);
        var scores = Enumerable.Range(0, 200).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() }).ToList();
        var pSmall = scores.Select(_ => random.NextDouble()).ToList();
        var pMid = scores.Select(_ => random.NextDouble()).ToList();

        foreach (var quality in new[] { 0.8, 0.95, 1.0 })
        {
            var oracle = ThreeTierRouting.OracleCostShare(scores, quality, TierPrices.Default);
            Assert.True(oracle <= ThreeTierRouting.RandomCostShare(scores, quality, TierPrices.Default) + 1e-12, $"oracle {oracle} above random at {quality}");
            Assert.True(oracle <= ThreeTierRouting.ModelCostShare(scores, pSmall, pMid, quality, TierPrices.Default) + 1e-12, $"oracle {oracle} above the model at {quality}");
        }
    }

    /// <summary>The measure's definition, computed from scratch at every threshold.</summary>
    private static double Reference(List<double[]> scores, List<double> pSmall, List<double> pMid, double qualityRetained, TierPrices prices)
    {
        double[] price = [prices.Small, prices.Mid, prices.Frontier];
        var n = scores.Count;
        var target = qualityRetained * scores.Average(r => r[2]);
        var best = 1.0;
        double? pq = null, pc = null;
        foreach (var t in pSmall.Concat(pMid).Append(double.PositiveInfinity).Distinct().Order())
        {
            var tiers = Enumerable.Range(0, n).Select(i => pSmall[i] >= t ? 0 : pMid[i] >= t ? 1 : 2).ToList();
            var quality = tiers.Select((tier, i) => scores[i][tier]).Sum() / n;
            var cost = tiers.Sum(tier => price[tier]) / (n * prices.Frontier);
            if (quality >= target) best = Math.Min(best, cost);
            if (pq is { } q && pc is { } c && (q - target) * (quality - target) < 0) best = Math.Min(best, c + ((target - q) / (quality - q) * (cost - c)));
            pq = quality;
            pc = cost;
        }

        return best;
    }
}
