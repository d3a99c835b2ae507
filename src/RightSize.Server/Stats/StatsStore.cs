using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RightSize.Server.Observability;
using RightSize.Server.Telemetry;
using RightSize.Server.Usage;

namespace RightSize.Server.Stats;

/// <summary>
/// In-memory stats of the requests this gateway served, per route and serving tier, since start
/// and over the last <see cref="TelemetryOptions.StatsWindowMinutes"/> minutes. Fed by the
/// telemetry observer; read by <c>GET /rightsize/stats</c> and the dashboard. Recording takes one
/// lock-free dictionary lookup and one short lock of that route and tier.
/// </summary>
internal sealed class StatsStore
{
    /// <summary>The route of a pass-through request (no route claimed it).</summary>
    public const string PassthroughRoute = "(passthrough)";

    /// <summary>The tier of a request no tier served (pass-through, embeddings, rejected, every tier failed).</summary>
    public const string NoTier = "none";

    private readonly ConcurrentDictionary<(string Route, string Tier), RouteTierStats> _entries = new();
    private readonly TimeProvider _time;

    public StatsStore(TimeProvider time, IOptions<TelemetryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        WindowMinutes = options.Value.StatsWindowMinutes;
        Currency = options.Value.CurrencyCode();
        StartedAt = time.GetUtcNow();
    }

    public int WindowMinutes { get; }

    public string Currency { get; }

    public DateTimeOffset StartedAt { get; }

    public void Record(RequestRecord request, bool priced, in RequestCost cost)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = (request.Route ?? PassthroughRoute, RequestOutcome.ServedTierOf(request) ?? NoTier);
        var entry = _entries.GetOrAdd(key, static (k, minutes) => new RouteTierStats(k.Route, k.Tier, minutes), WindowMinutes);
        entry.Record(MinuteOf(_time.GetUtcNow()), request, priced, cost);
    }

    /// <summary>A consistent-enough copy of everything (each route and tier is copied under its lock).</summary>
    internal StatsSnapshot Snapshot()
    {
        var now = _time.GetUtcNow();
        var nowMinute = MinuteOf(now);
        var firstMinute = nowMinute - WindowMinutes + 1;
        var timeline = new TimelinePoint[WindowMinutes];
        for (var i = 0; i < timeline.Length; i++) timeline[i] = new TimelinePoint(DateTimeOffset.FromUnixTimeSeconds((firstMinute + i) * 60));

        var total = new StatsAccumulator();
        var window = new StatsAccumulator();
        var totalTiers = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var windowTiers = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var entries = new List<StatsSnapshot.Entry>();
        foreach (var (_, stats) in _entries)
        {
            var entryTotal = new StatsAccumulator();
            var entryWindow = new StatsAccumulator();
            stats.AddTo(nowMinute, entryTotal, entryWindow, timeline);
            entryTotal.AddTo(total);
            entryWindow.AddTo(window);
            totalTiers[stats.Tier] = totalTiers.GetValueOrDefault(stats.Tier) + entryTotal.Requests;
            windowTiers[stats.Tier] = windowTiers.GetValueOrDefault(stats.Tier) + entryWindow.Requests;
            entries.Add(new StatsSnapshot.Entry(stats.Route, stats.Tier, entryTotal, entryWindow));
        }

        entries.Sort(static (a, b) => a.Route != b.Route ? string.CompareOrdinal(a.Route, b.Route) : string.CompareOrdinal(a.Tier, b.Tier));
        return new StatsSnapshot(StartedAt, now, WindowMinutes, Currency, total, totalTiers, window, windowTiers, entries, timeline);
    }

    private static long MinuteOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 60;
}
