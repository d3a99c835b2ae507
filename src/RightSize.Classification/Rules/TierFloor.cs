namespace RightSize.Classification.Rules;

/// <summary>The lowest tier a request-shape rule allows, and that rule's reason (<see cref="RuleReasons"/>).</summary>
public readonly record struct TierFloor(Tier Tier, string Reason);
