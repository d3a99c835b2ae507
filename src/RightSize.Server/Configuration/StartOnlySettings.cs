using Microsoft.Extensions.Configuration;

namespace RightSize.Server.Configuration;

/// <summary>
/// The settings read once, at start-up: the classifier, <c>Gateway:ConnectTimeout</c>, <c>Gateway:MaxHeldResponseBytes</c> and <c>Gateway:MaxBufferedRequestBytes</c>,
/// <c>Telemetry</c>, and every <see cref="KnownSetting"/> the host reads itself (the shutdown
/// durations, <c>Logging</c>, <c>Kestrel:Limits</c>). A reload that changes one is put in force for everything else; the
/// store then names what waits for a restart, so that an edited value is not taken for one in force.
/// </summary>
internal static class StartOnlySettings
{
    private static readonly string[] OwnKeys =
    [
        RightSizeOptions.SectionName + ":" + nameof(RightSizeOptions.Classifier),
        RightSizeOptions.SectionName + ":" + nameof(RightSizeOptions.Gateway) + ":" + nameof(GatewayOptions.ConnectTimeout),
        RightSizeOptions.SectionName + ":" + nameof(RightSizeOptions.Gateway) + ":" + nameof(GatewayOptions.MaxHeldResponseBytes),
        RightSizeOptions.SectionName + ":" + nameof(RightSizeOptions.Gateway) + ":" + nameof(GatewayOptions.MaxBufferedRequestBytes),
    ];

    /// <summary>Every value at or below the start-only keys, by full key.</summary>
    public static Dictionary<string, string> Read(IConfiguration configuration, IEnumerable<KnownSetting> readElsewhere)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in OwnKeys.Concat(readElsewhere.Select(setting => setting.Key)))
        {
            foreach (var (path, value) in configuration.GetSection(key).AsEnumerable())
            {
                if (value is not null) values[path] = value;
            }
        }

        return values;
    }

    /// <summary>The keys whose value differs between the two readings, in order.</summary>
    public static List<string> Changed(IReadOnlyDictionary<string, string> atStart, IReadOnlyDictionary<string, string> now) =>
        [.. atStart.Keys.Union(now.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(key => !(atStart.TryGetValue(key, out var before) && now.TryGetValue(key, out var after) && before == after))
            .Order(StringComparer.OrdinalIgnoreCase)];
}
