using RightSize.Server.Observability;
using RightSize.Server.Usage;

namespace RightSize.Server.Stats;

/// <summary>
/// The stats of one route and tier: totals since start, and a ring of per-minute accumulators
/// for the last N minutes (a slot is reused, cleared, when its minute comes round again). One
/// small lock per route and tier: requests of other routes or tiers never wait on it.
/// </summary>
internal sealed class RouteTierStats
{
    private readonly Lock _lock = new();
    private readonly StatsAccumulator _total = new();
    private readonly StatsAccumulator[] _minutes;
    private readonly long[] _minuteOfSlot;

    public RouteTierStats(string route, string tier, int windowMinutes)
    {
        Route = route;
        Tier = tier;
        _minutes = new StatsAccumulator[windowMinutes];
        _minuteOfSlot = new long[windowMinutes];
        for (var i = 0; i < windowMinutes; i++)
        {
            _minutes[i] = new StatsAccumulator();
            _minuteOfSlot[i] = long.MinValue;
        }
    }

    public string Route { get; }

    public string Tier { get; }

    public void Record(long minute, RequestRecord request, bool priced, in RequestCost cost)
    {
        var slot = (int)(minute % _minutes.Length);
        lock (_lock)
        {
            if (_minuteOfSlot[slot] != minute)
            {
                _minutes[slot].Reset();
                _minuteOfSlot[slot] = minute;
            }

            _minutes[slot].Add(request, priced, cost);
            _total.Add(request, priced, cost);
        }
    }

    /// <summary>Adds this route and tier's totals and last-N-minutes sums to the targets, and each minute to <paramref name="timeline"/> (indexed from the window's first minute).</summary>
    public void AddTo(long nowMinute, StatsAccumulator total, StatsAccumulator window, TimelinePoint[] timeline)
    {
        var firstMinute = nowMinute - _minutes.Length + 1;
        lock (_lock)
        {
            _total.AddTo(total);
            for (var i = 0; i < _minutes.Length; i++)
            {
                var minute = _minuteOfSlot[i];
                if (minute < firstMinute || minute > nowMinute) continue;
                var slot = _minutes[i];
                slot.AddTo(window);
                timeline[minute - firstMinute].Add(Tier, slot);
            }
        }
    }
}
