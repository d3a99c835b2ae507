using System.Net;
using Microsoft.Extensions.Logging;
using RightSize.Deployment.Tests.Infrastructure;
using RightSize.Upstream.Simulator;

namespace RightSize.Deployment.Tests.Configuration;

/// <summary>
/// The gateway in-process with <c>--config-dir</c> on a directory laid out as a mounted ConfigMap:
/// a symlink swap changes routing without a restart; a malformed or invalid file is logged and
/// the last good policy stays in force.
/// </summary>
public sealed class LiveConfigurationTests : IAsyncLifetime
{
    private const int FileChangedEvent = 121;
    private const int FileRejectedEvent = 122;
    private const int ConfigurationReloadedEvent = 100;
    private const int ConfigurationRejectedEvent = 101;
    private static readonly TimeSpan ReloadWait = TimeSpan.FromSeconds(30);

    private readonly CapturedLogs _logs = new();
    private UpstreamSimulator _upstream = null!;
    private KubernetesConfigDirectory _config = null!;
    private LoggedGateway _gateway = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await UpstreamSimulator.StartAsync(new SimulatorOptions());
        _config = KubernetesConfigDirectory.Create(Settings("small"));
        _gateway = await LoggedGateway.StartAsync(_logs, "--config-dir", _config.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        _config.Dispose();
    }

    [Fact]
    public async Task ConfigMapSwap_RouteTierChanged_NextDecisionFollows()
    {
        Assert.Equal("small", await TierAsync());

        await _config.SwapAsync(Settings("frontier"));

        Assert.Equal("frontier", await WaitForTierAsync("frontier"));
    }

    [Fact]
    public async Task ConfigMapSwap_ValidPolicy_FileChangeLoggedThenOneReload()
    {
        var logged = _logs.Entries.Count;

        await _config.SwapAsync(Settings("mid"));

        var reloaded = await _logs.WaitForAsync(ConfigurationReloadedEvent, logged, ReloadWait);
        Assert.Contains("generation 2,", reloaded.Message, StringComparison.Ordinal);
        Assert.Equal("mid", await TierAsync());
        Assert.Equal([FileChangedEvent, ConfigurationReloadedEvent], ReloadEventsSince(logged));
    }

    [Fact]
    public async Task ConfigMapSwap_MalformedJson_LoggedAndLastGoodPolicyStays()
    {
        var logged = _logs.Entries.Count;

        await _config.SwapAsync("""{ "RightSize": { "Routes": { "pinned": { "Tier": "frontier" """);

        var error = await _logs.WaitForAsync(FileRejectedEvent, logged, ReloadWait);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("appsettings.json", error.Message, StringComparison.Ordinal);
        Assert.Equal("small", await TierAsync());
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Http.GetAsync("readyz")).StatusCode);
        Assert.Equal(1, await ConfigGauges.ReadAsync(_gateway.Http, ConfigGauges.Rejected, expected: 1, ReloadWait)); // the alert's gauge

        await _config.SwapAsync(Settings("mid"));
        Assert.Equal("mid", await WaitForTierAsync("mid"));
        Assert.Equal(0, await ConfigGauges.ReadAsync(_gateway.Http, ConfigGauges.Rejected, expected: 0, ReloadWait));
    }

    [Fact]
    public async Task ConfigMapSwap_InvalidPolicy_LoggedAndLastGoodPolicyStays()
    {
        var logged = _logs.Entries.Count;

        await _config.SwapAsync(Settings("enormous"));

        var error = await _logs.WaitForAsync(ConfigurationRejectedEvent, logged, ReloadWait);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("RightSize:Routes:pinned:Tier", error.Message, StringComparison.Ordinal);
        Assert.Equal("small", await TierAsync());
        Assert.Equal([FileChangedEvent, ConfigurationRejectedEvent], ReloadEventsSince(logged));

        await _config.SwapAsync(Settings("frontier"));
        Assert.Equal("frontier", await WaitForTierAsync("frontier"));
    }

    [Fact]
    public async Task ConfigMapSwap_ShutdownTimeoutTheNextStartWouldRefuse_RejectedAndLastGoodPolicyStays()
    {
        // Read at start-up only: accepted, it would take no effect now and stop the pod's next start.
        var logged = _logs.Entries.Count;

        await _config.SwapAsync(Settings("mid", shutdownTimeout: "30"));

        var error = await _logs.WaitForAsync(ConfigurationRejectedEvent, logged, ReloadWait);
        Assert.Contains("RightSize:Gateway:ShutdownTimeout must be a duration such as 00:00:30 (hh:mm:ss); it is '30'.", error.Message, StringComparison.Ordinal);
        Assert.Equal("small", await TierAsync());
        Assert.Equal([FileChangedEvent, ConfigurationRejectedEvent], ReloadEventsSince(logged));

        await _config.SwapAsync(Settings("mid", shutdownTimeout: "00:00:20"));
        Assert.Equal("mid", await WaitForTierAsync("mid"));
    }

    [Fact]
    public async Task ConfigMapSwap_TelemetryTheNextStartWouldRefuse_RejectionIsTheOnlyError()
    {
        // Telemetry is read at start-up only: the snapshot store's rejection (event 101) is the
        // whole report, with no second error from the watcher about the same file.
        var logged = _logs.Entries.Count;

        await _config.SwapAsync(Settings("mid", telemetry: """{ "Currency": "EURO", "StatsWindowMinutes": 2000 }"""));

        var error = await _logs.WaitForAsync(ConfigurationRejectedEvent, logged, ReloadWait);
        Assert.Contains("RightSize:Telemetry:Currency", error.Message, StringComparison.Ordinal);
        Assert.Contains("RightSize:Telemetry:StatsWindowMinutes", error.Message, StringComparison.Ordinal);

        // The watcher checks files one after another: once the next file is in force, whatever the
        // check of the rejected one logged has been logged.
        await _config.SwapAsync(Settings("mid"));
        await _logs.WaitForAsync(ConfigurationReloadedEvent, logged, ReloadWait);
        Assert.Equal([ConfigurationRejectedEvent], _logs.Entries.Skip(logged).Where(e => e.Level >= LogLevel.Error).Select(e => e.EventId.Id));
    }

    private string Settings(string pinnedTier, string shutdownTimeout = "00:00:30", string telemetry = "{}")
    {
        var upstream = _upstream.ApiBase.ToString().TrimEnd('/');
        return $$"""
            {
              "Serilog": { "MinimumLevel": { "Default": "Warning" } },
              "RightSize": {
                "Gateway": { "ShutdownTimeout": "{{shutdownTimeout}}" },
                "Telemetry": {{telemetry}},
                "Upstreams": { "sim": { "BaseUrl": "{{upstream}}" } },
                "Tiers": {
                  "small": { "Upstream": "sim", "Model": "sim-small" },
                  "mid": { "Upstream": "sim", "Model": "sim-mid" },
                  "frontier": { "Upstream": "sim", "Model": "sim-frontier" }
                },
                "Routes": { "pinned": { "Tier": "{{pinnedTier}}" } }
              }
            }
            """;
    }

    private int[] ReloadEventsSince(int logged) =>
        [.. _logs.Entries.Skip(logged).Select(e => e.EventId.Id).Where(id => id is FileChangedEvent or ConfigurationReloadedEvent or ConfigurationRejectedEvent)];

    private Task<string> TierAsync() => PinnedRoute.TierAsync(_gateway.Http, "pinned");

    private async Task<string> WaitForTierAsync(string expected)
    {
        var deadline = DateTimeOffset.UtcNow + ReloadWait;
        var tier = await TierAsync();
        while (tier != expected && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(100);
            tier = await TierAsync();
        }

        return tier;
    }
}
