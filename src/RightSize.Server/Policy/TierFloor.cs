using RightSize.Classification;
using RightSize.OpenAI.Chat;
using RightSize.Server.Model;

namespace RightSize.Server.Policy;

/// <summary>
/// The lowest tier the request-shape rules allow, and the reason of the rule that sets it: a
/// request with tools goes to at least <c>Rules:ToolsMinTier</c> (<c>rule:tools</c>), one with
/// image, audio or file parts to at least <c>Rules:MediaMinTier</c> (<c>rule:media</c>). When both
/// apply the higher floor holds; at a tie, the tools rule's reason.
/// </summary>
internal readonly record struct TierFloor(Tier Tier, string Reason)
{
    public static TierFloor? For(RouteModel route, ChatPrompt prompt)
    {
        TierFloor? floor = null;
        if (route.ToolsMinTier is { } tools && prompt.ToolCount > 0)
        {
            floor = new TierFloor(tools, DecisionReasons.ToolsRule);
        }

        if (route.MediaMinTier is { } media && prompt.Media.Count > 0 && (floor is null || media > floor.Value.Tier))
        {
            floor = new TierFloor(media, DecisionReasons.MediaRule);
        }

        return floor;
    }
}
