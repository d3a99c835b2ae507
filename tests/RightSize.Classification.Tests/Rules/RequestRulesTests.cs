using RightSize.Classification.Rules;
using RightSize.OpenAI.Chat;

namespace RightSize.Classification.Tests.Rules;

public sealed class RequestRulesTests
{
    private static readonly ChatPrompt Plain = ChatPrompt.FromUserText("What is the weather?");
    private static readonly ChatPrompt WithTools = new([new ChatTurn("user", "What is the weather?")], toolCount: 1);
    private static readonly ChatPrompt WithImage = new([new ChatTurn("user", "What is in this photo?")], uncountedTokens: 765, media: new MediaParts(1, 0, 0));
    private static readonly ChatPrompt WithBoth = new([new ChatTurn("user", "Which tool fits this photo?")], toolCount: 1, uncountedTokens: 765, media: new MediaParts(1, 0, 0));

    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 1)]
    [InlineData("abcd", 1)]
    [InlineData("abcde", 2)]
    public void EstimateTokens_Text_IsFourCharactersATokenRoundedUp(string text, int expected)
    {
        Assert.Equal(expected, RequestRules.EstimateTokens(ChatPrompt.FromUserText(text)));
    }

    [Fact]
    public void Default_ToolsAndMediaToMid_NoLongPromptRule()
    {
        Assert.Equal(new RequestRules(Tier.Mid, Tier.Mid, null), RequestRules.Default);
        Assert.Equal(TierNames.Mid, RequestRules.DefaultToolsMinTier);
        Assert.Equal(TierNames.Mid, RequestRules.DefaultMediaMinTier);
    }

    [Fact]
    public void FloorFor_BothRules_HigherFloorHoldsAndATieNamesTools()
    {
        Assert.Null(RequestRules.Default.FloorFor(Plain));
        Assert.Equal(new TierFloor(Tier.Mid, RuleReasons.Tools), RequestRules.Default.FloorFor(WithTools));
        Assert.Equal(new TierFloor(Tier.Mid, RuleReasons.Media), RequestRules.Default.FloorFor(WithImage));
        Assert.Equal(new TierFloor(Tier.Mid, RuleReasons.Tools), RequestRules.Default.FloorFor(WithBoth));
        Assert.Equal(new TierFloor(Tier.Frontier, RuleReasons.Media), new RequestRules(Tier.Mid, Tier.Frontier, null).FloorFor(WithBoth));
        Assert.Null(new RequestRules(null, null, null).FloorFor(WithBoth));
    }

    [Theory]
    [InlineData("tool")]
    [InlineData("function")]
    public void FloorFor_AToolsResultWithoutTools_IsTheToolsFloor(string resultRole)
    {
        // The follow-up turn of a tool call may send no tools; it belongs to the same agent loop
        // and must not drop to a tier the loop's first turn was kept above.
        var followUp = new ChatPrompt([
            new ChatTurn("user", "Weather in Oslo?"),
            new ChatTurn("assistant", ""),
            new ChatTurn(resultRole, "{\"temperature\": 3}"),
        ]);

        Assert.True(followUp.UsesTools);
        Assert.Equal(new TierFloor(Tier.Mid, RuleReasons.Tools), RequestRules.Default.FloorFor(followUp));
        Assert.False(Plain.UsesTools);
    }

    [Fact]
    public void LowestTier_LongPromptOverTheFloors_GoesToFrontier()
    {
        var rules = new RequestRules(Tier.Mid, null, 1000);

        Assert.Equal(Tier.Small, rules.LowestTier(Plain));
        Assert.Equal(Tier.Mid, rules.LowestTier(WithTools));
        Assert.Equal(Tier.Small, rules.LowestTier(WithImage)); // the media rule is off; 771 tokens
        Assert.Equal(Tier.Frontier, rules.LowestTier(new ChatPrompt([new ChatTurn("user", new string('x', 4001))], toolCount: 1)));
        Assert.Equal(Tier.Small, rules.LowestTier(ChatPrompt.FromUserText(new string('x', 4000)))); // 1000 tokens is not over 1000
    }
}
