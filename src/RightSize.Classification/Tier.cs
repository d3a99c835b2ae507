namespace RightSize.Classification;

/// <summary>The three price tiers, cheapest first. The numeric order is the escalation order.</summary>
public enum Tier
{
    Small = 0,
    Mid = 1,
    Frontier = 2,
}
