using RightSize.Classification;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Model;

public class RouteModelTests
{
    [Theory]
    [InlineData(Tier.Small, Tier.Small)]
    [InlineData(Tier.Mid, Tier.Mid)]
    [InlineData(Tier.Frontier, Tier.Mid)]
    public void ResolveTarget_RouteWithMaxTierMid_NeverServesFrontier(Tier wanted, Tier served)
    {
        var support = SampleConfiguration.Snapshot().RoutesByName["support"];

        var target = support.ResolveTarget(wanted);

        Assert.Equal(served, target.Tier);
    }

    [Fact]
    public void ResolveTarget_BelowMinTier_ServesMinTier()
    {
        var auto = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:auto:MinTier", "mid"))).RoutesByName["auto"];

        Assert.Equal("gpt-4.1-mini", auto.ResolveTarget(Tier.Small).Model);
    }

    [Fact]
    public void ResolveTarget_MissingCheaperTier_ResolvesUpward()
    {
        var values = SampleConfiguration.With(
            ("RightSize:Tiers:small:Upstream", null),
            ("RightSize:Tiers:small:Model", null),
            ("RightSize:Tiers:small:InputPerMTok", null),
            ("RightSize:Tiers:small:OutputPerMTok", null));
        var auto = SampleConfiguration.Snapshot(values).RoutesByName["auto"];

        var target = auto.ResolveTarget(Tier.Small);

        Assert.Null(auto.Targets[(int)Tier.Small]);
        Assert.Equal((Tier.Mid, "gpt-4.1-mini"), (target.Tier, target.Model));
    }

    [Fact]
    public void ResolveTarget_MissingMidTier_ResolvesUpwardToFrontier()
    {
        var values = SampleConfiguration.With(
            ("RightSize:Tiers:mid:Upstream", null),
            ("RightSize:Tiers:mid:Model", null),
            ("RightSize:Tiers:mid:InputPerMTok", null),
            ("RightSize:Tiers:mid:OutputPerMTok", null),
            ("RightSize:Routes:support:MaxTier", null));
        var auto = SampleConfiguration.Snapshot(values).RoutesByName["auto"];

        Assert.Equal(Tier.Frontier, auto.ResolveTarget(Tier.Mid).Tier);
    }
}
