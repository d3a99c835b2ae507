using RightSize.Classification.Rules;
using RightSize.Classification;
using RightSize.OpenAI.Chat;
using RightSize.Server.Policy;
using RightSize.Server.Tests.TestSupport;
using static RightSize.Server.Tests.Policy.PolicyDecisions;

namespace RightSize.Server.Tests.Policy;

/// <summary>
/// <c>Rules:MediaMinTier</c>: a request with image, audio or file parts goes to at least this tier
/// (<c>rule:media</c>), decided where and as <c>Rules:ToolsMinTier</c> is.
/// </summary>
public class RoutePolicyMediaRuleTests
{
    private static readonly ChatPrompt WithImage = Prompt(new MediaParts(1, 0, 0));

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(0, 1, 0)]
    [InlineData(0, 0, 1)]
    public void TryDecide_MediaParts_RaiseToMediaMinTier(int images, int audio, int files)
    {
        var route = Route("auto", ("RightSize:Routes:auto:MinConfidence", "0"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.95f, 0.99f)), route, Prompt(new MediaParts(images, audio, files)));

        Assert.Equal((Tier.Mid, "gpt-4.1-mini", RuleReasons.Media), (decision.Target.Tier, decision.Target.Model, decision.Reason));
    }

    [Fact]
    public void TryDecide_TextOnly_StaysOnTheClassifiersTier()
    {
        var route = Route("auto", ("RightSize:Routes:auto:MinConfidence", "0"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.95f, 0.99f)), route, Prompt(default));

        Assert.Equal((Tier.Small, DecisionReasons.Classifier), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_MediaAndSmallBarelyOverTheThreshold_MidDecidesWithItsOwnConfidence()
    {
        // Small at 0.72 has confidence 0.533 (under the route's 0.6), but the media rule rules small
        // out: mid at 0.97 serves the request (confidence 0.95), not the frontier as low-confidence.
        var decision = Decide(new RoutePolicy(new FixedClassifier(0.72f, 0.97f)), Route("auto"), WithImage);

        Assert.Equal((Tier.Mid, RuleReasons.Media), (decision.Target.Tier, decision.Reason));
        Assert.Equal(0.95, decision.Confidence!.Value, 3);
        Assert.Equal(new TierProbabilities(0.72f, 0.97f), decision.Probabilities);
    }

    [Fact]
    public void TryDecide_MediaAndMidUnsure_LowConfidenceGoesToFrontier()
    {
        // Mid at 0.75 has confidence 0.583, under the route's 0.6.
        var decision = Decide(new RoutePolicy(new FixedClassifier(0.72f, 0.75f)), Route("auto"), WithImage);

        Assert.Equal((Tier.Frontier, DecisionReasons.LowConfidence), (decision.Target.Tier, decision.Reason));
    }

    [Theory]
    [InlineData("RightSize:Routes:auto:Tier")]
    [InlineData("RightSize:Routes:auto:DefaultTier")]
    public void TryDecide_MediaOnAFixedOrDefaultSmallTier_RaisedToMid(string key)
    {
        var route = Route("auto", (key, "small"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, WithImage);

        Assert.Equal((Tier.Mid, RuleReasons.Media), (decision.Target.Tier, decision.Reason));
        Assert.Null(decision.Confidence);
    }

    [Fact]
    public void TryDecide_MediaWithHigherTierAlready_KeepsTheTierAndReason()
    {
        var route = Route("auto", ("RightSize:Routes:auto:Tier", "frontier"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, WithImage);

        Assert.Equal((Tier.Frontier, DecisionReasons.Fixed), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_MediaRuleTurnedOff_KeepsTheCheaperTier()
    {
        var route = Route("auto", ("RightSize:Routes:auto:Rules:MediaMinTier", ""), ("RightSize:Routes:auto:DefaultTier", "small"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, WithImage);

        Assert.Equal((Tier.Small, DecisionReasons.DefaultTier), (decision.Target.Tier, decision.Reason));
    }

    [Theory]
    [InlineData("Tools", RuleReasons.Tools)]
    [InlineData("Media", RuleReasons.Media)]
    public void TryDecide_RuleAboveMaxTier_ServedAtMaxTierAsTheToolsRuleIs(string rule, string reason)
    {
        // support serves up to mid: a rule asking for the frontier is clamped there, its reason kept.
        var route = Route("support", ($"RightSize:Routes:support:Rules:{rule}MinTier", "frontier"), ("RightSize:Routes:support:DefaultTier", "small"));
        var prompt = new ChatPrompt([new ChatTurn("user", "Weather in this photo?")], toolCount: 1, media: new MediaParts(1, 0, 0));

        var decision = Decide(new RoutePolicy(new NoModel()), route, prompt);

        Assert.Equal((Tier.Frontier, Tier.Mid, reason), (decision.RequestedTier, decision.Target.Tier, decision.Reason));
    }

    [Theory]
    [InlineData("mid", "frontier", Tier.Frontier, RuleReasons.Media)]
    [InlineData("frontier", "mid", Tier.Frontier, RuleReasons.Tools)]
    [InlineData("mid", "mid", Tier.Mid, RuleReasons.Tools)]
    [InlineData("", "mid", Tier.Mid, RuleReasons.Media)]
    public void TryDecide_ToolsAndMedia_TheHigherFloorHolds(string toolsMin, string mediaMin, Tier tier, string reason)
    {
        var route = Route("auto", ("RightSize:Routes:auto:Rules:ToolsMinTier", toolsMin), ("RightSize:Routes:auto:Rules:MediaMinTier", mediaMin), ("RightSize:Routes:auto:MinConfidence", "0"));
        var prompt = new ChatPrompt([new ChatTurn("user", "Weather in this photo?")], toolCount: 1, media: new MediaParts(1, 0, 0));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.99f, 0.99f)), route, prompt);

        Assert.Equal((tier, reason), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_MediaEstimate_CountsTowardsTheLongPromptRule()
    {
        // 22 characters of text (6 tokens) and a high-detail image (765): over a limit of 500.
        var route = Route("auto", ("RightSize:Routes:auto:Rules:LongPromptTokens", "500"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, WithImage);

        Assert.Equal(771, decision.EstimatedPromptTokens);
        Assert.Equal((Tier.Frontier, RuleReasons.LongPrompt), (decision.Target.Tier, decision.Reason));
    }

    private static ChatPrompt Prompt(MediaParts media) =>
        new([new ChatTurn("user", "What is in this photo?")], uncountedTokens: media.Images * 765, media: media);
}
