using Microsoft.Extensions.Logging;
using RightSize.Deployment.Tests.Infrastructure;
using RightSize.Upstream.Simulator;

namespace RightSize.Deployment.Tests.Configuration;

/// <summary>
/// The gateway's own <c>appsettings.json</c> in the content root (a VM or bare-metal install edits
/// it in place): a malformed save is logged and keeps the previous contents, also for the next
/// reload that comes from another source; a good save is applied once.
/// </summary>
public sealed class ContentRootReloadTests : IAsyncLifetime
{
    private const int FileChangedEvent = 121;
    private const int FileRejectedEvent = 122;
    private const int ConfigurationReloadedEvent = 100;
    private static readonly TimeSpan ReloadWait = TimeSpan.FromSeconds(30);

    private readonly CapturedLogs _logs = new();
    private readonly TempDirectory _contentRoot = new("rightsize-content-root-");
    private KubernetesConfigDirectory _config = null!;
    private UpstreamSimulator _upstream = null!;
    private LoggedGateway _gateway = null!;

    private string File => _contentRoot.Combine("appsettings.json");

    public async ValueTask InitializeAsync()
    {
        _upstream = await UpstreamSimulator.StartAsync(new SimulatorOptions());
        await System.IO.File.WriteAllTextAsync(File, Settings("small"));
        _config = KubernetesConfigDirectory.Create("""{ "RightSize": { "Routes": { "other": { "Tier": "frontier" } } } }""");
        _gateway = await LoggedGateway.StartAsync(_logs, "--contentRoot", _contentRoot.Path, "--config-dir", _config.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        _config.Dispose();
        _contentRoot.Dispose();
    }

    [Fact]
    public async Task Save_MalformedThenOtherSourceReloads_LoggedAndContentRootSettingsKept()
    {
        var logged = _logs.Entries.Count;

        await System.IO.File.WriteAllTextAsync(File, """{ "RightSize": { "Routes": { "pinned": """);
        var error = await _logs.WaitForAsync(FileRejectedEvent, logged, ReloadWait);
        await _config.SwapAsync("""{ "RightSize": { "Routes": { "other": { "Tier": "mid" } } } }""");
        await _logs.WaitForAsync(ConfigurationReloadedEvent, logged, ReloadWait);

        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(File, error.Message, StringComparison.Ordinal);
        Assert.Equal("small", await TierAsync("pinned"));
        Assert.Equal("mid", await TierAsync("other"));
    }

    [Fact]
    public async Task Save_ValidChange_AppliedOnce()
    {
        var logged = _logs.Entries.Count;

        await System.IO.File.WriteAllTextAsync(File, Settings("mid"));
        await _logs.WaitForAsync(ConfigurationReloadedEvent, logged, ReloadWait);

        Assert.Equal("mid", await TierAsync("pinned"));
        Assert.Equal(2, await GenerationAsync());
        Assert.Equal([FileChangedEvent, ConfigurationReloadedEvent], _logs.Entries.Skip(logged).Select(e => e.EventId.Id).Where(id => id is FileChangedEvent or ConfigurationReloadedEvent));
    }

    private string Settings(string pinnedTier) => PinnedRoute.Settings(_upstream.ApiBase, pinnedTier);

    private Task<string> TierAsync(string route) => PinnedRoute.TierAsync(_gateway.Http, route);

    private Task<int> GenerationAsync() => PinnedRoute.GenerationAsync(_gateway.Http);
}
