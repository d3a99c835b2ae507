namespace RightSize.Server.Stats;

/// <summary>A copy of the stats at one moment, as <c>GET /rightsize/stats</c> reports it.</summary>
internal sealed record StatsSnapshot(
    DateTimeOffset StartedAt,
    DateTimeOffset GeneratedAt,
    int WindowMinutes,
    string Currency,
    StatsAccumulator Total,
    SortedDictionary<string, long> TotalTiers,
    StatsAccumulator Window,
    SortedDictionary<string, long> WindowTiers,
    List<StatsSnapshot.Entry> Entries,
    TimelinePoint[] Timeline)
{
    /// <summary>One route and serving tier.</summary>
    internal sealed record Entry(string Route, string Tier, StatsAccumulator Total, StatsAccumulator Window);
}
