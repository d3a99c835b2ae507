using RightSize.Training.Evaluation;
using RightSize.Training.Training;

namespace RightSize.Training.Tests;

public class PlattAndThresholdTests
{
    [Fact]
    public void Platt_RecoversScaleOfSeparatedLogits()
    {
        var logits = new List<double>();
        var labels = new List<bool>();
        var random = new Random(3);
        for (var i = 0; i < 4000; i++)
        {
            var z = (random.NextDouble() * 8) - 4;
            logits.Add(z);
            labels.Add(random.NextDouble() < PlattScaling.Sigmoid((2 * z) - 1));
        }

        var (scale, offset) = PlattScaling.Fit(logits, labels);
        Assert.InRange(scale, 1.7, 2.3);
        Assert.InRange(offset, -1.3, -0.7);
    }

    [Fact]
    public void Platt_OneClass_IsIdentity() => Assert.Equal((1f, 0f), PlattScaling.Fit([1, 2], [true, true]));

    [Fact]
    public void Platt_SmallHeldOutWithTiedLogits_StaysFiniteAndKeepsRanking()
    {
        // 18 rows as a tiny held-out split gives: the "hard" logits are tied while their labels
        // disagree, the "easy" ones are all positive. An undamped Newton fit ran off to scales
        // of ±1e5 here and flipped the ranking.
        var logits = new List<double>();
        var labels = new List<bool>();
        for (var i = 0; i < 9; i++)
        {
            logits.Add(4.0);
            labels.Add(true);
            logits.Add(-3.0);
            labels.Add(i % 2 == 0);
        }

        var (scale, offset) = PlattScaling.Fit(logits, labels);
        Assert.InRange(scale, 0.01, 10);
        Assert.True(float.IsFinite(offset));
        Assert.True(PlattScaling.Sigmoid((scale * 4.0) + offset) > PlattScaling.Sigmoid((scale * -3.0) + offset));
    }

    [Fact]
    public void Platt_InvertedHeldOut_KeepsScaleAndFitsOffsetOnly()
    {
        double[] logits = [-2, -1, 1, 2, -2, -1, 1, 2];
        bool[] labels = [true, true, false, false, true, true, false, true];
        var (scale, offset) = PlattScaling.Fit(logits, labels);
        Assert.Equal(1f, scale);
        Assert.True(offset > 0, $"offset {offset}: 5 of 8 labels are positive, so the fitted base rate must rise above 1/2");
    }

    [Fact]
    public void Calibrator_FrontierShare_PicksQuantile()
    {
        double[] pMid = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
        var choice = ThresholdCalibrator.ForFrontierShare(pMid, pMid, 0.3, allowSmall: false, TierPrices.Default);
        Assert.Equal(0.4, choice.Threshold, 9);
        Assert.Equal(0.3, choice.FrontierShare, 9);
        Assert.Equal(0.7, choice.MidShare, 9);
    }

    [Fact]
    public void Calibrator_Quality_ReachesTargetAtLowestCost()
    {
        double[][] scores = [[0, 1, 1], [0, 0, 1], [1, 1, 1], [0, 1, 1]];
        double[] pSmall = [0.1, 0.1, 0.9, 0.1];
        double[] pMid = [0.8, 0.2, 0.95, 0.7];
        var choice = ThresholdCalibrator.ForQuality(scores, pSmall, pMid, 1.0, allowSmall: true, TierPrices.Default);
        Assert.Equal(1.0, choice.QualityRetained, 9);
        Assert.Equal(0.25, choice.FrontierShare, 9);
        Assert.Equal(0.25, choice.SmallShare, 9);
    }
}
