using RightSize.Training.Evaluation;

namespace RightSize.Training.Tests;

public class TwoTierCurveTests
{
    // Ten rows: the weak tier fails only on the first; the strong tier never fails.
    private static readonly double[] Weak = [0, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    private static readonly double[] Strong = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];

    [Fact]
    public void Random_Apgr_IsHalf()
    {
        var curve = TwoTierCurve.Random(Weak, Strong);
        Assert.Equal(0.5, curve.Apgr(), 9);
        Assert.Equal(0.5, curve.Cpt(0.5), 9);
        Assert.Equal(0.8, curve.Cpt(0.8), 9);
    }

    [Fact]
    public void Oracle_Apgr_IsNearOne()
    {
        var curve = TwoTierCurve.Oracle(Weak, Strong);
        Assert.Equal(0.95, curve.Apgr(), 9); // 0.1 * 0.5 ramp + 0.9 at full recovery
        Assert.Equal(0.05, curve.Cpt(0.5), 9);
        Assert.Equal(0.08, curve.Cpt(0.8), 9);
    }

    [Fact]
    public void QualityAt95_RandomAndOracle_KnownShares()
    {
        var random = TwoTierCurve.Random(Weak, Strong);
        Assert.Equal(0.5, random.StrongShareAt(0.95), 9); // 0.9 + 0.1c >= 0.95
        Assert.Equal(0.5, random.StrongCallCutAt(0.95), 9);
        Assert.Equal(0.6, random.CostShareAt(0.95, 4, 20), 9);
        var oracle = TwoTierCurve.Oracle(Weak, Strong);
        Assert.Equal(0.95, oracle.StrongCallCutAt(0.95), 9);
    }

    [Fact]
    public void FromScores_PerfectRanking_MatchesOracle_InvertedRankingIsWorseThanRandom()
    {
        var good = new double[] { 0.1, 0.9, 0.8, 0.7, 0.95, 0.6, 0.85, 0.75, 0.65, 0.99 };
        Assert.Equal(0.95, TwoTierCurve.FromScores(Weak, Strong, good).Apgr(), 9);
        var bad = good.Select(p => -p).ToArray();
        Assert.True(TwoTierCurve.FromScores(Weak, Strong, bad).Apgr() < 0.5);
    }

    [Fact]
    public void FromScores_Ties_AreInterpolated()
    {
        // All scores equal: one block, the same as the random router.
        var curve = TwoTierCurve.FromScores(Weak, Strong, new double[10]);
        Assert.Equal(2, curve.Points.Count);
        Assert.Equal(0.5, curve.Apgr(), 9);
    }

    [Fact]
    public void Pgr_WeakBeatsStrongSometimes_IsCappedInApgr()
    {
        double[] weak = [1, 0, 0, 1];
        double[] strong = [0, 1, 1, 1];
        var oracle = TwoTierCurve.Oracle(weak, strong);
        Assert.True(oracle.Apgr() <= 1.0);
    }

    [Fact]
    public void Apgr_SegmentCrossingFullRecovery_IsCappedWhereItCrosses()
    {
        // (weak, strong) = (0, 1), (0, 1), (1, 0): gap 1/3. The oracle sends the two rows the strong
        // tier wins first: PGR runs 0 → 2 over the first 2/3 of the share (crossing 1 at 1/3), then
        // back to 1. Capped curve: 1/3 · 1/2 + 2/3 · 1 = 5/6 (the points alone would give 2/3).
        var oracle = TwoTierCurve.Oracle([0, 0, 1], [1, 1, 0]);

        Assert.Equal(5.0 / 6, oracle.Apgr(), 9);
    }

    [Fact]
    public void Pgr_WeakTierBetterOnAverage_EveryGapMeasureUndefined()
    {
        // A source where the weak tier wins: there is no gap to recover, so no figure built on it.
        var curve = TwoTierCurve.Oracle([1, 1, 0], [0, 0, 1]);

        Assert.True(double.IsNaN(curve.Apgr()));
        Assert.True(double.IsNaN(curve.Pgr(0.5)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void FromScores_NonFiniteRouterScore_IsRefusedNotLoopedOn(double bad)
    {
        double[] scores = [0.3, bad, 0.7, 0.5, 0.5, 0.1, 0.2, 0.9, 0.4, 0.6];

        var ex = Assert.Throws<ArgumentException>(() => TwoTierCurve.FromScores(Weak, Strong, scores));

        Assert.Contains("Router score 1", ex.Message);
    }

    [Fact]
    public void Evaluate_ModelDoesNotJudgeMidOnARow_ModelFiguresUndefinedRandomAndOracleGiven()
    {
        var rows = TestRows.Synthetic(20);
        var predictions = rows.Select((_, i) => i == 7 ? new[] { float.NaN, float.NaN } : new[] { 0.2f, 0.6f }).ToList();

        var source = Assert.Single(RoutingEvaluator.Evaluate(rows, predictions));

        Assert.True(double.IsNaN(source.Model.Apgr));
        Assert.True(double.IsNaN(source.Model.CostShareAt95));
        Assert.True(source.Model.ThreeTierCostShareAt95 is { } three && double.IsNaN(three));
        Assert.Equal(0.5, source.Random.Apgr, 9);
        Assert.False(double.IsNaN(source.Oracle.Apgr));
    }

    [Fact]
    public void Evaluate_ModelDoesNotJudgeSmall_OnlyTheThreeTierFigureUndefined()
    {
        var rows = TestRows.Synthetic(20);
        var predictions = rows.Select((_, i) => new[] { float.NaN, i % 2 == 0 ? 0.3f : 0.8f }).ToList();

        var source = Assert.Single(RoutingEvaluator.Evaluate(rows, predictions));

        Assert.False(double.IsNaN(source.Model.Apgr));
        Assert.True(source.Model.ThreeTierCostShareAt95 is { } three && double.IsNaN(three));
    }

    [Fact]
    public void EvaluationJson_TiersThatTie_WriteNullNotZeroForTheUndefinedGapMeasures()
    {
        // Mid scores as the frontier on every row: there is no gap to recover, so APGR and CPT are undefined.
        var rows = Enumerable.Range(0, 6).Select(i => TestRows.Row($"t{i}", "q", null, i % 2, i % 2)).ToList();
        var predictions = rows.Select(_ => new[] { 0.2f, 0.6f }).ToList();

        var model = EvaluationJson.ToJson(RoutingEvaluator.Evaluate(rows, predictions))["test"]!["model"]!;

        Assert.Null(model["apgr"]);
        Assert.True(model.AsObject().ContainsKey("apgr"));
        Assert.Equal(1.0, model["frontierCutAt95"]!.GetValue<double>(), 9);
    }
}
