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
    public void Model_NeverWorseThanAllFrontier()
    {
        double[] p = [0.5, 0.5, 0.5, 0.5];
        Assert.True(ThreeTierRouting.ModelCostShare(Scores, p, p, 0.95, TierPrices.Default) <= 1.0);
    }
}
