using System.Globalization;
using RightSize.Server.Model;

namespace RightSize.Server.Configuration;

/// <summary>
/// What a valid configuration cannot do that its operator likely expects it to: each note is
/// logged as event 109 when the configuration is put in force and printed by <c>--check-config</c>,
/// but stops nothing.
/// </summary>
internal static class ConfigurationNotes
{
    /// <summary>
    /// One note for each route whose <c>Deadline</c> is not longer than the wait for headers of a
    /// tier it can move a request up from (the upstream's <c>HeadersTimeout</c>, or <c>Gateway:UpstreamActivityTimeout</c>
    /// when shorter): a hung upstream there is never timed out before the deadline, so its requests
    /// end with a 504 instead of moving to a higher tier, and, since Polly counts a call the deadline
    /// cancelled as no failure, its circuit never opens. Then one for each upstream with a key
    /// reached over plain http outside the cluster, and the <see cref="GatewaySnapshot.PriceNotes"/>.
    /// </summary>
    public static List<string> Of(GatewaySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var notes = new List<string>();
        foreach (var route in snapshot.RoutesByName.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var lowest = route.LowestServingTier();
            var top = route.ResolveTarget(route.MaxTier).Tier;
            foreach (var target in route.Targets)
            {
                if (target is null || target.Tier < lowest || target.Tier >= top) continue;
                var wait = Min(target.Upstream.Resilience.HeadersTimeout, snapshot.UpstreamActivityTimeout);
                if (wait < route.Deadline) continue;
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"RightSize:Routes:{route.Name}:Deadline ({route.Deadline:c}) is not longer than the wait for headers of its {target.TierName} tier ({wait:c}, upstream '{target.Upstream.Name}'): a hung {target.TierName} upstream ends the route's requests with a 504 at the deadline instead of moving them to a higher tier, and never opens its circuit. Set RightSize:Upstreams:{target.Upstream.Name}:HeadersTimeout below the Deadline (at most a third of it leaves time for two more tiers)."));
            }
        }

        foreach (var upstream in snapshot.Upstreams.OrderBy(u => u.Name, StringComparer.Ordinal))
        {
            if (upstream.Authorization is not null && SendsKeyInTheClear(upstream.BaseUrl))
            {
                notes.Add($"RightSize:Upstreams:{upstream.Name}:BaseUrl is plain http to a host that may be outside the cluster, and the upstream has a key: the key would cross the network unencrypted with every request. Use https, or for a Service in the cluster its name.namespace.svc.");
            }
        }

        notes.AddRange(snapshot.PriceNotes);
        return notes;
    }

    /// <summary>
    /// Whether a key sent to <paramref name="baseUrl"/> may cross a network unencrypted: plain http
    /// to any host but a loopback address or a name that can only resolve inside the cluster (a
    /// Service's single-label name, or a name under <c>.svc</c>, <c>.cluster.local</c> or
    /// <c>.internal</c>, with or without a final dot). A Service's <c>name.namespace</c> cannot be
    /// told from a public <c>example.com</c>, and an IP address may be outside the cluster, so
    /// those are noted; the note says to write <c>name.namespace.svc</c>.
    /// </summary>
    private static bool SendsKeyInTheClear(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp) return false;
        if (uri.IsLoopback) return false;
        if (uri.HostNameType != UriHostNameType.Dns) return true;
        var host = uri.IdnHost.TrimEnd('.');
        if (!host.Contains('.', StringComparison.Ordinal)) return false;
        string[] internalSuffixes = [".svc", ".cluster.local", ".internal"];
        return !internalSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
