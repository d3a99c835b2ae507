using RightSize.Classification;
using RightSize.Gateway.Hosting;
using RightSize.Server.Configuration;

namespace RightSize.Gateway;

/// <summary>
/// <c>--check-config</c>: the gateway is built exactly as for a start (every configuration source,
/// the validation, upstream keys, the classifier model and its manifest), so invalid configuration
/// fails the same way and with the same words; then, instead of listening, this one line describes
/// what would be in force. Nothing listens and no upstream is contacted.
/// </summary>
public static class ConfigurationCheck
{
    /// <summary>The line written to standard output when the configuration is valid.</summary>
    public static string Summary(GatewayApp gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var services = gateway.App.Services;
        var snapshot = services.GetRequiredService<GatewaySnapshotStore>().Current;
        var model = services.GetRequiredService<IDifficultyClassifier>().Model;
        var routes = snapshot.RoutesByName.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList();
        var upstreams = snapshot.Upstreams.Select(u => u.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
        var classifier = model is null
            ? "no classifier (routes use their DefaultTier)"
            : $"classifier {model.Name} ({model.Path})";
        var files = ((gateway.App.Configuration as IConfigurationRoot)?.Providers ?? [])
            .OfType<ConfigDirectoryProvider>()
            .Select(p => p.FilePath)
            .Where(File.Exists)
            .ToList();
        var read = files.Count == 0 ? "no JSON file" : string.Join(", ", files);
        var demo = gateway.DemoMode && gateway.Demo is null ? "; --demo: its simulated upstreams were not started" : "";
        return $"Configuration OK: {Count(routes, "route")}, {Count(upstreams, "upstream")}, {classifier}; read {read}{demo}";
    }

    /// <summary>What the valid configuration cannot do that its operator likely expects (event 109 at a start).</summary>
    public static IReadOnlyList<string> Notes(GatewayApp gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return ConfigurationNotes.Of(gateway.App.Services.GetRequiredService<GatewaySnapshotStore>().Current);
    }

    private static string Count(List<string> names, string noun) =>
        $"{names.Count} {noun}{(names.Count == 1 ? "" : "s")} ({string.Join(", ", names)})";
}
