using System.Net;
using System.Text;
using System.Text.Json;
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

    private string Settings(string pinnedTier)
    {
        var upstream = _upstream.ApiBase.ToString().TrimEnd('/');
        return $$"""
            {
              "RightSize": {
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

    private async Task<string> TierAsync(string route)
    {
        using var body = new StringContent($$"""{"model":"{{route}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        using var response = await _gateway.Http.PostAsync("v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return string.Join(",", response.Headers.GetValues("x-rightsize-tier"));
    }

    private async Task<int> GenerationAsync()
    {
        using var response = await _gateway.Http.GetAsync("readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("config_generation").GetInt32();
    }
}
