using RightSize.Classification.Rules;
using RightSize.Classification;
using RightSize.OpenAI.Chat;
using RightSize.Server.Model;
using RightSize.Server.Policy;
using RightSize.Server.Tests.TestSupport;
using static RightSize.Server.Tests.Policy.PolicyDecisions;

namespace RightSize.Server.Tests.Policy;

public class RoutePolicyTests
{
    private static readonly ChatPrompt Hello = ChatPrompt.FromUserText("Hello there");
    private static readonly ChatPrompt WithTools = new([new ChatTurn("user", "What is the weather?")], toolCount: 2);
    private static readonly ChatPrompt OneTool = new([new ChatTurn("user", "What is the weather?")], toolCount: 1);
    private static readonly ChatPrompt WithImage = new([new ChatTurn("user", "What is in this photo?")], uncountedTokens: 765, media: new MediaParts(1, 0, 0));

    [Fact]
    public void TryDecide_FixedTier_UsesItWithoutClassifying()
    {
        var classifier = new FixedClassifier(0.99f, 0.99f);
        var route = Route("auto", ("RightSize:Routes:auto:Tier", "frontier"));

        var decision = Decide(new RoutePolicy(classifier), route, Hello);

        Assert.Equal((Tier.Frontier, "gpt-4.1", DecisionReasons.Fixed), (decision.Target.Tier, decision.Target.Model, decision.Reason));
        Assert.Null(decision.Confidence);
        Assert.Equal(0, classifier.Calls);
    }

    [Theory]
    [InlineData("small", Tier.Small)]
    [InlineData("MID", Tier.Mid)]
    [InlineData("frontier", Tier.Frontier)]
    public void TryDecide_OverrideAllowed_ForcesTheTier(string header, Tier expected)
    {
        var route = Route("auto", ("RightSize:Routes:auto:Tier", "mid"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.99f, 0.99f)), route, Hello, header);

        Assert.Equal((expected, DecisionReasons.Override), (decision.Target.Tier, decision.Reason));
    }

    [Theory]
    [InlineData("tools")]
    [InlineData("media")]
    [InlineData("long")]
    public void TryDecide_OverrideToSmall_RequestShapeRulesDoNotApply(string shape)
    {
        // The client asked for small on a classified route: neither the tools or media rule (mid)
        // nor the long-prompt rule (frontier) overrules the client's own choice.
        var route = Route("auto", ("RightSize:Routes:auto:Rules:LongPromptTokens", "10"));
        var prompt = shape switch { "tools" => OneTool, "media" => WithImage, _ => ChatPrompt.FromUserText(new string('x', 1000)) };

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.99f, 0.99f)), route, prompt, "small");

        Assert.Equal((Tier.Small, DecisionReasons.Override), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_OverrideNotAllowed_IsIgnored()
    {
        var route = Route("auto", ("RightSize:Routes:auto:AllowTierOverride", "false"), ("RightSize:Routes:auto:DefaultTier", "small"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, Hello, "frontier");

        Assert.Equal((Tier.Small, DecisionReasons.DefaultTier), (decision.Target.Tier, decision.Reason));
    }

    [Theory]
    [InlineData("huge")]
    [InlineData("gpt-4.1")]
    [InlineData("small ")]
    public void TryDecide_InvalidOverride_Is400NamingTheHeader(string header)
    {
        var policy = new RoutePolicy(new NoModel());

        var error = policy.TryDecide(Route("auto"), Hello, header, out var decision);

        Assert.NotNull(error);
        Assert.Equal((400, "invalid_request_error", "x-rightsize-tier", "invalid_tier"), (error.StatusCode, error.Type, error.Param, error.Code));
        Assert.Null(decision);
    }

    [Theory]
    [InlineData(0.80f, 0.95f, Tier.Small)]
    [InlineData(0.71f, 0.95f, Tier.Small)]
    [InlineData(0.40f, 0.75f, Tier.Mid)]
    [InlineData(float.NaN, 0.90f, Tier.Mid)]
    [InlineData(0.10f, 0.30f, Tier.Frontier)]
    public void TryDecide_Classifier_PicksTheCheapestTierOverTheThreshold(float small, float mid, Tier expected)
    {
        var classifier = new FixedClassifier(small, mid);
        var route = Route("auto", ("RightSize:Routes:auto:MinConfidence", "0"));

        var decision = Decide(new RoutePolicy(classifier), route, Hello);

        Assert.Equal((expected, DecisionReasons.Classifier), (decision.Target.Tier, decision.Reason));
        Assert.Equal(1, classifier.Calls);
        Assert.Equal(new TierProbabilities(small, mid), decision.Probabilities);
        Assert.NotNull(decision.Confidence);
    }

    [Fact]
    public void TryDecide_Classifier_ReportsTheDocumentedConfidence()
    {
        var route = Route("auto", ("RightSize:Routes:auto:MinConfidence", "0"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.85f, 0.95f)), route, Hello);

        // 0.5 + 0.5 * (0.85 - 0.7) / (1 - 0.7) = 0.75
        Assert.Equal(0.75, decision.Confidence!.Value, 3);
    }

    [Fact]
    public void TryDecide_LowConfidence_EscalatesToFrontier()
    {
        // t = 0.7, MinConfidence 0.6 (the sample's auto route): small at 0.72 has confidence 0.533.
        var decision = Decide(new RoutePolicy(new FixedClassifier(0.72f, 0.72f)), Route("auto"), Hello);

        Assert.Equal((Tier.Frontier, DecisionReasons.LowConfidence), (decision.Target.Tier, decision.Reason));
        Assert.True(decision.Confidence < 0.6);
    }

    [Fact]
    public void TryDecide_ConfidenceAtMinConfidence_KeepsTheCheaperTier()
    {
        // t = 0.5, small at 0.75: confidence 0.5 + 0.5 * 0.25 / 0.5 = 0.75, exactly MinConfidence
        // (every value here is exact in binary floating point). Only a confidence under it escalates.
        var route = Route("auto", ("RightSize:Routes:auto:Threshold", "0.5"), ("RightSize:Routes:auto:MinConfidence", "0.75"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.75f, 0.90f)), route, Hello);

        Assert.Equal(0.75, decision.Confidence);
        Assert.Equal((Tier.Small, DecisionReasons.Classifier), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_ClassifierChoseFrontierWithLowConfidence_ReasonIsClassifier()
    {
        // Mid at 0.68 misses t = 0.7: the classifier itself picks the frontier, confidence 0.514.
        var decision = Decide(new RoutePolicy(new FixedClassifier(0.20f, 0.68f)), Route("auto"), Hello);

        Assert.Equal((Tier.Frontier, DecisionReasons.Classifier), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_NoModel_UsesDefaultTier()
    {
        var route = Route("auto", ("RightSize:Routes:auto:DefaultTier", "small"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, Hello);

        Assert.Equal((Tier.Small, "llama-3.2-3b", DecisionReasons.DefaultTier), (decision.Target.Tier, decision.Target.Model, decision.Reason));
        Assert.Null(decision.Confidence);
        Assert.Null(decision.Probabilities);
    }

    [Fact]
    public void TryDecide_NoModelAndNoDefaultTierKey_UsesMid()
    {
        var decision = Decide(new RoutePolicy(new NoModel()), Route("auto"), Hello);

        Assert.Equal((Tier.Mid, DecisionReasons.DefaultTier), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_Tools_RaiseToToolsMinTier()
    {
        var route = Route("auto", ("RightSize:Routes:auto:MinConfidence", "0"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.95f, 0.99f)), route, WithTools);

        Assert.Equal((Tier.Mid, RuleReasons.Tools), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_ToolsAndSmallBarelyOverTheThreshold_MidDecidesWithItsOwnConfidence()
    {
        // Small at 0.72 has confidence 0.533 (under the route's 0.6), but tools rule small out:
        // mid at 0.97 serves the request (confidence 0.95), not the frontier as low-confidence.
        var decision = Decide(new RoutePolicy(new FixedClassifier(0.72f, 0.97f)), Route("auto"), WithTools);

        Assert.Equal((Tier.Mid, RuleReasons.Tools), (decision.Target.Tier, decision.Reason));
        Assert.Equal(0.95, decision.Confidence!.Value, 3);
    }

    [Fact]
    public void TryDecide_ToolsAndMidUnsure_LowConfidenceGoesToFrontier()
    {
        // Mid at 0.75 has confidence 0.583, under the route's 0.6.
        var decision = Decide(new RoutePolicy(new FixedClassifier(0.72f, 0.75f)), Route("auto"), WithTools);

        Assert.Equal((Tier.Frontier, DecisionReasons.LowConfidence), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_ToolsWithHigherTierAlready_KeepTheTierAndReason()
    {
        var route = Route("auto", ("RightSize:Routes:auto:Tier", "frontier"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, WithTools);

        Assert.Equal((Tier.Frontier, DecisionReasons.Fixed), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_ToolsRuleTurnedOff_KeepsTheCheaperTier()
    {
        var route = Route("auto", ("RightSize:Routes:auto:Rules:ToolsMinTier", ""), ("RightSize:Routes:auto:DefaultTier", "small"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, WithTools);

        Assert.Equal((Tier.Small, DecisionReasons.DefaultTier), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_LongPrompt_GoesToFrontier()
    {
        var route = Route("auto", ("RightSize:Routes:auto:Rules:LongPromptTokens", "100"), ("RightSize:Routes:auto:DefaultTier", "small"));
        var prompt = new ChatPrompt([new ChatTurn("system", new string('s', 200)), new ChatTurn("user", new string('u', 201))]);

        var decision = Decide(new RoutePolicy(new NoModel()), route, prompt);

        Assert.Equal(101, decision.EstimatedPromptTokens);
        Assert.Equal((Tier.Frontier, RuleReasons.LongPrompt), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_LongOnlyInTokensNoTurnShows_GoesToFrontier()
    {
        // A completion prompt of token ids, or long tool-call arguments: no turn's text shows them.
        var route = Route("auto", ("RightSize:Routes:auto:Rules:LongPromptTokens", "100"), ("RightSize:Routes:auto:DefaultTier", "small"));
        var prompt = new ChatPrompt([new ChatTurn("user", "short")], uncountedTokens: 200);

        var decision = Decide(new RoutePolicy(new NoModel()), route, prompt);

        Assert.Equal(202, decision.EstimatedPromptTokens);
        Assert.Equal((Tier.Frontier, RuleReasons.LongPrompt), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_PromptAtTheLimit_IsNotLong()
    {
        var route = Route("auto", ("RightSize:Routes:auto:Rules:LongPromptTokens", "100"), ("RightSize:Routes:auto:DefaultTier", "small"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, ChatPrompt.FromUserText(new string('x', 400)));

        Assert.Equal((Tier.Small, DecisionReasons.DefaultTier), (decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_LowConfidenceAtTheRoutesMaxTier_NoEscalationReported()
    {
        // support serves up to mid: a mid decision has nowhere to go, so its reason stays the classifier's.
        var route = Route("support", ("RightSize:Routes:support:MinConfidence", "0.9"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.1f, 0.72f)), route, Hello);

        Assert.Equal((Tier.Mid, Tier.Mid, DecisionReasons.Classifier), (decision.RequestedTier, decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_LongPromptAtTheRoutesMaxTier_NoRuleReported()
    {
        var route = Route("support", ("RightSize:Routes:support:Rules:LongPromptTokens", "10"), ("RightSize:Routes:support:DefaultTier", "mid"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, ChatPrompt.FromUserText(new string('x', 1000)));

        Assert.Equal((Tier.Mid, DecisionReasons.DefaultTier), (decision.Target.Tier, decision.Reason));
    }

    [Theory]
    [InlineData(null, 0.10f)]
    [InlineData(null, 0.72f)]
    [InlineData("frontier", 0.10f)]
    [InlineData("long", 0.99f)]
    public void TryDecide_RouteWithMaxTierMid_NeverGetsFrontier(string? trigger, float probability)
    {
        var route = Route("support", ("RightSize:Routes:support:Rules:LongPromptTokens", "10"), ("RightSize:Routes:support:MinConfidence", "0.6"));
        var prompt = trigger == "long" ? ChatPrompt.FromUserText(new string('x', 1000)) : Hello;
        var header = trigger == "frontier" ? "frontier" : null;

        var decision = Decide(new RoutePolicy(new FixedClassifier(probability, probability)), route, prompt, header);

        Assert.Equal(Tier.Mid, decision.Target.Tier);
        Assert.Equal("gpt-4.1-mini", decision.Target.Model);
    }

    [Fact]
    public void TryDecide_MinTier_DecidesAmongTheTiersTheRouteServes()
    {
        var route = Route("auto", ("RightSize:Routes:auto:MinTier", "mid"), ("RightSize:Routes:auto:MinConfidence", "0"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.99f, 0.99f)), route, Hello);

        Assert.Equal((Tier.Mid, Tier.Mid, DecisionReasons.Classifier), (decision.RequestedTier, decision.Target.Tier, decision.Reason));
    }

    [Fact]
    public void TryDecide_MaxTierSmall_MidsProbabilityDoesNotDecide()
    {
        // This route never serves mid: small at 0.5 misses t = 0.7, so the frontier is decided (and
        // served at small, the route's highest tier), with small's confidence 0.5 + 0.5 * 0.2 / 0.7,
        // not mid's 0.9 deciding mid with confidence 0.833.
        var route = Route("auto", ("RightSize:Routes:auto:MaxTier", "small"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.5f, 0.9f)), route, Hello);

        Assert.Equal((Tier.Frontier, Tier.Small), (decision.RequestedTier, decision.Target.Tier));
        Assert.Equal(0.643, decision.Confidence!.Value, 3);
    }

    [Fact]
    public void TryDecide_MinTierMid_SmallBarelyOverTheThreshold_ConfidenceIsMids()
    {
        // Small at 0.72 would have confidence 0.533 (under 0.6), but this route never serves
        // small: mid at 0.97 decides, with confidence 0.5 + 0.5 * 0.27 / 0.3 = 0.95.
        var route = Route("auto", ("RightSize:Routes:auto:MinTier", "mid"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.72f, 0.97f)), route, Hello);

        Assert.Equal((Tier.Mid, DecisionReasons.Classifier), (decision.Target.Tier, decision.Reason));
        Assert.Equal(0.95, decision.Confidence!.Value, 3);
        Assert.Equal(new TierProbabilities(0.72f, 0.97f), decision.Probabilities);
    }

    [Fact]
    public void TryDecide_MissingCheaperTier_DecidesOnTheConfiguredOnes()
    {
        var route = RouteWithoutSmallTier();

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.99f, 0.99f)), route, Hello);

        Assert.Equal(Tier.Mid, decision.RequestedTier);
        Assert.Equal((Tier.Mid, "gpt-4.1-mini"), (decision.Target.Tier, decision.Target.Model));
    }

    [Fact]
    public void TryDecide_MissingSmallTier_SmallBarelyOverTheThreshold_StaysOnMid()
    {
        // Before: small (0.72, confidence 0.533 < MinConfidence 0.6) decided, and the request
        // went to the frontier as low-confidence although mid, which serves it, was at 0.97.
        var route = RouteWithoutSmallTier(("RightSize:Routes:auto:MinConfidence", "0.6"));

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.72f, 0.97f)), route, Hello);

        Assert.Equal((Tier.Mid, DecisionReasons.Classifier), (decision.Target.Tier, decision.Reason));
        Assert.Equal(0.95, decision.Confidence!.Value, 3);
    }

    [Fact]
    public void TryDecide_MissingMidTier_MidOverTheThreshold_GoesToFrontierJudgedOnSmall()
    {
        // Mid is not configured: small (0.40) misses t = 0.7, so the frontier, with small's confidence.
        var values = SampleConfiguration.With(
            ("RightSize:Tiers:mid:Upstream", null),
            ("RightSize:Tiers:mid:Model", null),
            ("RightSize:Tiers:mid:InputPerMTok", null),
            ("RightSize:Tiers:mid:OutputPerMTok", null),
            ("RightSize:Routes:support:MaxTier", "frontier"),
            ("RightSize:Routes:auto:MinConfidence", "0"));
        var route = SampleConfiguration.Snapshot(values).RoutesByName["auto"];

        var decision = Decide(new RoutePolicy(new FixedClassifier(0.40f, 0.90f)), route, Hello);

        Assert.Equal((Tier.Frontier, Tier.Frontier, DecisionReasons.Classifier), (decision.RequestedTier, decision.Target.Tier, decision.Reason));
        Assert.Equal(0.5 + (0.5 * 0.3 / 0.7), decision.Confidence!.Value, 3);
    }

    [Fact]
    public void TryDecide_RouteLevelTier_ServesTheRoutesModel()
    {
        var route = Route("auto", ("RightSize:Routes:auto:Tiers:mid:Model", "gpt-4o-mini"));

        var decision = Decide(new RoutePolicy(new NoModel()), route, Hello);

        Assert.Equal(("gpt-4o-mini", "openai"), (decision.Target.Model, decision.Target.Upstream.Name));
    }

    private static RouteModel RouteWithoutSmallTier(params (string Key, string? Value)[] changes)
    {
        (string Key, string? Value)[] withoutSmall =
        [
            ("RightSize:Tiers:small:Upstream", null),
            ("RightSize:Tiers:small:Model", null),
            ("RightSize:Tiers:small:InputPerMTok", null),
            ("RightSize:Tiers:small:OutputPerMTok", null),
            ("RightSize:Routes:auto:MinConfidence", "0"),
        ];
        return SampleConfiguration.Snapshot(SampleConfiguration.With([.. withoutSmall, .. changes])).RoutesByName["auto"];
    }
}
