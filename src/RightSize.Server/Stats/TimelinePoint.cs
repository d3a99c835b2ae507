namespace RightSize.Server.Stats;

/// <summary>One minute of all routes: requests by tier, cost and frontier-equivalent cost.</summary>
internal sealed class TimelinePoint(DateTimeOffset minuteStart)
{
    public DateTimeOffset MinuteStart { get; } = minuteStart;

    public long Requests { get; private set; }

    public decimal Cost { get; private set; }

    public decimal FrontierEquivalentCost { get; private set; }

    /// <summary>Frontier-equivalent cost minus cost, as <see cref="Usage.RequestCost.Savings"/>.</summary>
    public decimal Savings => FrontierEquivalentCost - Cost;

    public SortedDictionary<string, long> Tiers { get; } = new(StringComparer.Ordinal);

    internal void Add(string tier, StatsAccumulator minute)
    {
        Requests += minute.Requests;
        Cost += minute.Cost;
        FrontierEquivalentCost += minute.FrontierEquivalentCost;
        Tiers[tier] = Tiers.GetValueOrDefault(tier) + minute.Requests;
    }
}
