using RightSize.OpenAI.Chat;

namespace RightSize.Classification.Rules;

/// <summary>
/// A route's request-shape rules (<c>Rules:*</c>), read by the gateway's route policy and by
/// <c>rightsize calibrate</c>, so that both raise the same requests: a request with tools, or with
/// a tool's result in its conversation (<see cref="ChatPrompt.UsesTools"/>), goes to at least
/// <see cref="ToolsMinTier"/>, one with image, audio or file parts to at least
/// <see cref="MediaMinTier"/>, and one with more estimated prompt tokens than
/// <see cref="LongPromptTokens"/> to the frontier. A null value turns its rule off.
/// </summary>
public sealed record RequestRules(Tier? ToolsMinTier, Tier? MediaMinTier, int? LongPromptTokens)
{
    /// <summary>The default of <c>Rules:ToolsMinTier</c>.</summary>
    public const string DefaultToolsMinTier = TierNames.Mid;

    /// <summary>The default of <c>Rules:MediaMinTier</c>.</summary>
    public const string DefaultMediaMinTier = TierNames.Mid;

    /// <summary>The rules of a route that sets none: tools and media to at least mid, no long-prompt rule.</summary>
    public static RequestRules Default { get; } = new(Tier.Mid, Tier.Mid, null);

    /// <summary>
    /// The floor the tools and media rules set for <paramref name="prompt"/>, or null when neither
    /// applies. When both apply the higher floor holds; at a tie, the tools rule's reason.
    /// </summary>
    public TierFloor? FloorFor(ChatPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        TierFloor? floor = null;
        if (ToolsMinTier is { } tools && prompt.UsesTools)
        {
            floor = new TierFloor(tools, RuleReasons.Tools);
        }

        if (MediaMinTier is { } media && prompt.Media.Count > 0 && (floor is null || media > floor.Value.Tier))
        {
            floor = new TierFloor(media, RuleReasons.Media);
        }

        return floor;
    }

    /// <summary>Whether a prompt of <paramref name="estimatedTokens"/> (<see cref="EstimateTokens"/>) goes to the frontier.</summary>
    public bool IsLongPrompt(int estimatedTokens) => LongPromptTokens is { } limit && estimatedTokens > limit;

    /// <summary>
    /// The lowest tier these rules let <paramref name="prompt"/> be served at on a route that
    /// serves every tier up to the frontier: the frontier for a long prompt, else the tools or
    /// media floor, else small. The route policy decides among the tiers from here up.
    /// </summary>
    public Tier LowestTier(ChatPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (IsLongPrompt(EstimateTokens(prompt))) return Tier.Frontier;
        return FloorFor(prompt)?.Tier ?? Tier.Small;
    }

    /// <summary>
    /// A cheap token estimate: four characters a token over every turn, plus the tokens no turn
    /// shows (token ids; tool-call arguments, tool definitions and a JSON schema; media parts).
    /// </summary>
    public static int EstimateTokens(ChatPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        long chars = 0;
        var turns = prompt.Turns;
        for (var i = 0; i < turns.Count; i++) chars += turns[i].Text.Length;
        return (int)Math.Min(int.MaxValue, (chars + 3) / 4 + prompt.UncountedTokens);
    }
}
