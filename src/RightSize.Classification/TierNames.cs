namespace RightSize.Classification;

/// <summary>The lower-case names tiers have on the wire, in configuration and in model manifests.</summary>
public static class TierNames
{
    public const string Small = "small";
    public const string Mid = "mid";
    public const string Frontier = "frontier";

    public static string ToName(this Tier tier) => tier switch
    {
        Tier.Small => Small,
        Tier.Mid => Mid,
        Tier.Frontier => Frontier,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };

    public static bool TryParse(ReadOnlySpan<char> name, out Tier tier)
    {
        if (name.Equals(Small, StringComparison.OrdinalIgnoreCase)) { tier = Tier.Small; return true; }
        if (name.Equals(Mid, StringComparison.OrdinalIgnoreCase)) { tier = Tier.Mid; return true; }
        if (name.Equals(Frontier, StringComparison.OrdinalIgnoreCase)) { tier = Tier.Frontier; return true; }
        tier = default;
        return false;
    }
}
