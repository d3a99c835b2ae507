namespace RightSize.Server.Usage;

/// <summary>
/// What one request's tokens cost on the tier that served it, what the same tokens would have
/// cost on the route's frontier tier, and the difference. Amounts are in the operator's currency
/// (the one the tier prices are written in), exact <see cref="decimal"/>s, never rounded here.
/// </summary>
/// <param name="Cost">The tokens at the served tier's prices, plus what failed attempts reported before they failed, at theirs.</param>
/// <param name="FrontierEquivalentCost">The same tokens at the route's frontier tier's prices.</param>
internal readonly record struct RequestCost(decimal Cost, decimal FrontierEquivalentCost)
{
    /// <summary>Frontier-equivalent cost minus cost: what right-sizing saved; negative when a cheaper tier is priced above the frontier, or failed attempts billed more than the cheaper tier saved.</summary>
    public decimal Savings => FrontierEquivalentCost - Cost;
}
