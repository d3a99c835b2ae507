using RightSize.Deployment.Tests.Infrastructure;
using RightSize.Upstream.Simulator;

namespace RightSize.Deployment.Tests.Configuration;

/// <summary>
/// <c>--config-dir</c> naming the content root (a VM install that points both at one directory):
/// its <c>appsettings.json</c> is one file, watched once, and one save is one reload.
/// </summary>
public sealed class ConfigDirIsContentRootTests : IAsyncLifetime
{
    private const int WatchingEvent = 120;
    private const int FileChangedEvent = 121;
    private const int ConfigurationReloadedEvent = 100;
    private static readonly TimeSpan ReloadWait = TimeSpan.FromSeconds(30);

    private readonly CapturedLogs _logs = new();
    private readonly TempDirectory _directory = new("rightsize-config-dir-root-");
    private UpstreamSimulator _upstream = null!;
    private LoggedGateway _gateway = null!;

    private string File => _directory.Combine("appsettings.json");

    public async ValueTask InitializeAsync()
    {
        _upstream = await UpstreamSimulator.StartAsync(new SimulatorOptions());
        await System.IO.File.WriteAllTextAsync(File, Settings("small"));
        _gateway = await LoggedGateway.StartAsync(_logs, "--contentRoot", _directory.Path, "--config-dir", _directory.Path + "/");
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Save_ValidChange_OneReload()
    {
        Assert.Equal("small", await TierAsync("pinned"));
        var logged = _logs.Entries.Count;

        await System.IO.File.WriteAllTextAsync(File, Settings("mid"));
        await _logs.WaitForAsync(ConfigurationReloadedEvent, logged, ReloadWait);
        await Task.Delay(HostingPollWait); // a second watcher of the file would reload on the same or the next poll

        Assert.Equal("mid", await TierAsync("pinned"));
        Assert.Equal(2, await GenerationAsync());
        Assert.Equal([FileChangedEvent, ConfigurationReloadedEvent], _logs.Entries.Skip(logged).Select(e => e.EventId.Id).Where(id => id is FileChangedEvent or ConfigurationReloadedEvent));
        Assert.Single(_logs.Entries, e => e.EventId.Id == WatchingEvent && e.Message.Contains(File, StringComparison.Ordinal));
    }

    private static TimeSpan HostingPollWait => TimeSpan.FromSeconds(2.5);

    private string Settings(string pinnedTier) => PinnedRoute.Settings(_upstream.ApiBase, pinnedTier);

    private Task<string> TierAsync(string route) => PinnedRoute.TierAsync(_gateway.Http, route);

    private Task<int> GenerationAsync() => PinnedRoute.GenerationAsync(_gateway.Http);
}
