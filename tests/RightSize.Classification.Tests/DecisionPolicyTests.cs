namespace RightSize.Classification.Tests;

public sealed class DecisionPolicyTests
{
    [Fact]
    public void Decide_BothOverThreshold_ChoosesCheapest()
    {
        var decision = DecisionPolicy.Decide(new TierProbabilities(0.8f, 0.9f), 0.7);

        Assert.Equal(Tier.Small, decision.Tier);
        Assert.Equal(0.8f, decision.DecidingProbability);
    }

    [Fact]
    public void Decide_OnlyMidOverThreshold_ChoosesMid()
    {
        var decision = DecisionPolicy.Decide(new TierProbabilities(0.5f, 0.75f), 0.7);

        Assert.Equal(Tier.Mid, decision.Tier);
        Assert.Equal(0.75f, decision.DecidingProbability);
    }

    [Fact]
    public void Decide_ProbabilityExactlyAtThreshold_ChoosesThatTierWithHalfConfidence()
    {
        var decision = DecisionPolicy.Decide(new TierProbabilities(0.5f, 0.5f), 0.5);

        Assert.Equal(Tier.Small, decision.Tier);
        Assert.Equal(0.5, decision.Confidence, 1e-12);
    }

    [Fact]
    public void Decide_Float32ProbabilityEqualToConfiguredThreshold_MeetsIt()
    {
        var decision = DecisionPolicy.Decide(new TierProbabilities(0.7f, 0.9f), 0.7);

        Assert.Equal(Tier.Small, decision.Tier);
        Assert.Equal(0.5, decision.Confidence, 1e-12);
    }

    [Fact]
    public void Decide_SmallNotJudged_SkipsToMid()
    {
        var decision = DecisionPolicy.Decide(new TierProbabilities(float.NaN, 0.95f), 0.7);

        Assert.Equal(Tier.Mid, decision.Tier);
    }

    [Fact]
    public void Decide_NoneOverThreshold_FallsBackToFrontierDecidedByNearestMiss()
    {
        var decision = DecisionPolicy.Decide(new TierProbabilities(0.1f, 0.35f), 0.7);

        Assert.Equal(Tier.Frontier, decision.Tier);
        Assert.Equal(0.35f, decision.DecidingProbability);
        Assert.Equal(0.5 + (0.5 * (0.7 - 0.35) / 0.7), decision.Confidence, 1e-6);
    }

    [Fact]
    public void Decide_NothingJudged_FrontierWithZeroConfidence()
    {
        var decision = DecisionPolicy.Decide(new TierProbabilities(float.NaN, float.NaN), 0.7);

        Assert.Equal(Tier.Frontier, decision.Tier);
        Assert.Equal(0, decision.Confidence);
        Assert.True(float.IsNaN(decision.DecidingProbability));
    }

    [Theory]
    [InlineData(0.5, 0.8, 0.8)]
    [InlineData(0.5, 0.2, 0.8)]
    [InlineData(0.5, 1.0, 1.0)]
    [InlineData(0.7, 1.0, 1.0)]
    [InlineData(0.7, 0.0, 1.0)]
    [InlineData(0.7, 0.85, 0.75)]
    [InlineData(0.7, 0.76, 0.6)]
    [InlineData(1.0, 1.0, 1.0)]
    [InlineData(0.0, 0.0, 0.5)]
    public void Confidence_KnownPoints_MatchTheDefinition(double threshold, double p, double expected)
    {
        Assert.Equal(expected, DecisionPolicy.Confidence(p, threshold), 1e-9);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(0.9)]
    public void Confidence_MovingAwayFromThreshold_NeverDecreases(double threshold)
    {
        var above = 0.0;
        var below = 0.0;
        for (var step = 0; step <= 100; step++)
        {
            var up = DecisionPolicy.Confidence(threshold + ((1 - threshold) * step / 100.0), threshold);
            var down = DecisionPolicy.Confidence(threshold - (threshold * step / 100.0), threshold);
            Assert.True(up >= above, $"confidence fell to {up} at step {step} above the threshold");
            Assert.True(down >= below, $"confidence fell to {down} at step {step} below the threshold");
            Assert.InRange(up, 0.5, 1.0);
            Assert.InRange(down, 0.5, 1.0);
            above = up;
            below = down;
        }

        Assert.Equal(1.0, above, 1e-12);
        Assert.Equal(1.0, below, 1e-12);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Decide_ThresholdOutOfRange_Throws(double threshold)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DecisionPolicy.Decide(new TierProbabilities(0.5f, 0.6f), threshold));
    }

    [Theory]
    [InlineData(Tier.Small, 0.55, Tier.Frontier, true)]
    [InlineData(Tier.Mid, 0.55, Tier.Frontier, true)]
    [InlineData(Tier.Mid, 0.6, Tier.Frontier, false)] // at the minimum: kept
    [InlineData(Tier.Mid, 0.55, Tier.Mid, false)] // the route's highest tier: nowhere to go up to
    [InlineData(Tier.Small, 0.55, Tier.Mid, true)]
    [InlineData(Tier.Frontier, 0.0, Tier.Frontier, false)]
    public void EscalatesForLowConfidence_OnlyUnderTheMinimumAndBelowTheHighestTier(Tier tier, double confidence, Tier maxTier, bool escalates)
    {
        Assert.Equal(escalates, DecisionPolicy.EscalatesForLowConfidence(tier, confidence, minConfidence: 0.6, maxTier));
    }
}
