using RightSize.OpenAI.Usage;
using RightSize.Server.Model;
using RightSize.Server.Tests.Stats;
using RightSize.Server.Usage;

namespace RightSize.Server.Tests.Usage;

public sealed class CostCalculatorTests
{
    [Fact]
    public void CostOf_OneMillionEach_IsThePricePerMillion()
    {
        var cost = CostCalculator.CostOf(new TokenUsage(1_000_000, 500_000), Records.Mid);

        Assert.Equal(1.20m, cost);
    }

    [Fact]
    public void Compute_KnownTokensOnSmall_CostFrontierAndSavingsExactToTheCent()
    {
        var usage = new TokenUsage(PromptTokens: 123_456, CompletionTokens: 7_890);

        var cost = CostCalculator.Compute(usage, Records.Small, Records.Frontier);

        // 123456 × 0.05 / 1e6 + 7890 × 0.10 / 1e6
        Assert.Equal(0.0069618m, cost.Cost);
        // 123456 × 2.00 / 1e6 + 7890 × 8.00 / 1e6
        Assert.Equal(0.310032m, cost.FrontierEquivalentCost);
        Assert.Equal(0.3030702m, cost.Savings);
        Assert.Equal(0.01m, Math.Round(cost.Cost, 2));
        Assert.Equal(0.31m, Math.Round(cost.FrontierEquivalentCost, 2));
        Assert.Equal(0.30m, Math.Round(cost.Savings, 2));
    }

    [Fact]
    public void CostOf_CachedPromptTokens_AtTheCachedPriceAndTheRestAtInput()
    {
        // 6000 uncached × 0.40 + 4000 cached × 0.10 + 2000 completion (500 of them reasoning) × 1.60, per million.
        var usage = new TokenUsage(PromptTokens: 10_000, CompletionTokens: 2_000, CachedPromptTokens: 4_000, ReasoningTokens: 500);

        var cost = CostCalculator.CostOf(usage, Records.Mid);

        Assert.Equal(0.0024m + 0.0004m + 0.0032m, cost);
    }

    [Fact]
    public void CostOf_ReasoningTokens_AreNotChargedTwice()
    {
        var withReasoning = CostCalculator.CostOf(new TokenUsage(100, 1_000, ReasoningTokens: 900), Records.Frontier);
        var without = CostCalculator.CostOf(new TokenUsage(100, 1_000), Records.Frontier);

        Assert.Equal(without, withReasoning);
    }

    [Fact]
    public void CostOf_CachedAbovePrompt_ClampedToThePrompt()
    {
        var cost = CostCalculator.CostOf(new TokenUsage(PromptTokens: 1_000, CompletionTokens: 0, CachedPromptTokens: 5_000), Records.Mid);

        Assert.Equal(1_000 * 0.10m / 1_000_000m, cost);
    }

    [Fact]
    public void Compute_ServedOnFrontier_NoSavings()
    {
        var cost = CostCalculator.Compute(new TokenUsage(5_000, 1_000), Records.Frontier, Records.Frontier);

        Assert.Equal(0.018m, cost.Cost);
        Assert.Equal(0m, cost.Savings);
    }

    [Fact]
    public void Compute_NoFrontierPrices_FrontierEquivalentIsTheCost()
    {
        var cost = CostCalculator.Compute(new TokenUsage(5_000, 1_000), Records.Mid, frontierPrices: null);

        Assert.Equal(cost.Cost, cost.FrontierEquivalentCost);
        Assert.Equal(0m, cost.Savings);
    }

    [Fact]
    public void TryCompute_NoUsage_UnknownNotZero()
    {
        var record = Records.Served("auto", "small", usage: null);

        Assert.False(CostCalculator.TryCompute(record, out var cost));
        Assert.Equal(default, cost);
    }

    [Fact]
    public void TryCompute_PassthroughWithoutPrices_Unknown()
    {
        var record = Records.Served("auto", "small", new TokenUsage(10, 10));
        record.Prices = null;
        record.FrontierPrices = null;

        Assert.False(CostCalculator.TryCompute(record, out _));
    }

    [Fact]
    public void TryCompute_UsageAndPrices_TheSameAsCompute()
    {
        var usage = new TokenUsage(2_000, 300, CachedPromptTokens: 1_000);
        var record = Records.Served("auto", "mid", usage);

        Assert.True(CostCalculator.TryCompute(record, out var cost));
        Assert.Equal(CostCalculator.Compute(usage, Records.Mid, Records.Frontier), cost);
        Assert.Equal(0.00098m, cost.Cost);
        Assert.Equal(0.0049m, cost.FrontierEquivalentCost);
    }

    [Fact]
    public void TryCompute_AFailedAttemptBilledBeforeFailing_CostsItAtItsTiersPricesAndSavesLess()
    {
        // Small's answer was cut after its usage (1,000 in, 4,000 out); mid then served 1,000 in, 500 out.
        var record = Records.Served("auto", "mid", new TokenUsage(1_000, 500));
        var small = Records.Attempt(0, "small", "response-cut");
        small.BilledBeforeFailing = (new TokenUsage(1_000, 4_000), Records.Small);
        record.Attempts.Insert(0, small);

        Assert.True(CostCalculator.TryCompute(record, out var cost));

        // mid 1000 × 0.40 + 500 × 1.60 = 0.0012; small 1000 × 0.05 + 4000 × 0.10 = 0.00045 (per million)
        Assert.Equal(0.00165m, cost.Cost);
        Assert.Equal(0.006m, cost.FrontierEquivalentCost); // the answer's tokens on the frontier: 1000 × 2 + 500 × 8
        Assert.Equal(0.00435m, cost.Savings);
    }

    [Fact]
    public void TryCompute_FrontierServedAfterABilledFailure_SavingIsNegative()
    {
        var record = Records.Served("auto", "frontier", new TokenUsage(1_000, 500));
        var mid = Records.Attempt(0, "mid", "response-cut");
        mid.BilledBeforeFailing = (new TokenUsage(1_000, 500), Records.Mid);
        record.Attempts.Insert(0, mid);

        Assert.True(CostCalculator.TryCompute(record, out var cost));

        Assert.Equal(-0.0012m, cost.Savings);
    }

    [Fact]
    public void CostOf_ZeroTokens_Zero()
    {
        Assert.Equal(0m, CostCalculator.CostOf(default, new TierPrices(1m, 1m, 1m)));
    }
}
