using System.Net;
using Microsoft.Extensions.Logging;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Configuration;

/// <summary>
/// An upstream key file in a directory laid out as a mounted Secret (<c>openai-key</c> →
/// <c>..data/openai-key</c>) that an update removes: the key in force stays, and the gateway says
/// so once each time the file goes (event 107), since a restart would now fail; a configuration
/// rejected for naming it meanwhile is loaded again once it is back.
/// </summary>
public sealed class KeyFileDisappearedTests : IAsyncLifetime
{
    private const int ConfigurationReloadedEvent = 100;
    private const int ConfigurationRejectedEvent = 101;
    private const int KeyFileMissingEvent = 107;
    private const string KeyName = "openai-key";
    private const string Key = "sk-test\n";
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SeveralPolls = TimeSpan.FromSeconds(3.5);

    private readonly CapturedLogs _logs = new();
    private readonly KubernetesConfigDirectory _secret = KubernetesConfigDirectory.Create(Key, KeyName);
    private readonly TempDirectory _config = new("rightsize-config-");
    private LoggedGateway _gateway = null!;

    private string KeyFile => _secret.FilePath;

    public async ValueTask InitializeAsync()
    {
        await WriteSettingsAsync("gpt-4.1");
        _gateway = await LoggedGateway.StartAsync(_logs, "--config-dir", _config.Path);
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _secret.Dispose();
        _config.Dispose();
    }

    [Fact]
    public async Task SecretUpdateWithoutTheKeyFile_WarnedOnceEachTimeItGoes()
    {
        var logged = _logs.Entries.Count;

        await _secret.SwapAsync(null);

        var warning = await _logs.WaitForAsync(KeyFileMissingEvent, logged, EventWait);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(KeyFile, warning.Message, StringComparison.Ordinal);
        Assert.Contains("stays in force", warning.Message, StringComparison.Ordinal);
        await Task.Delay(SeveralPolls);
        Assert.Single(_logs.Entries.Skip(logged), e => e.EventId.Id == KeyFileMissingEvent);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Http.GetAsync("readyz")).StatusCode);

        await _secret.SwapAsync(Key);
        await Task.Delay(SeveralPolls);
        Assert.Single(_logs.Entries.Skip(logged), e => e.EventId.Id == KeyFileMissingEvent);
        var back = _logs.Entries.Count;
        await _secret.SwapAsync(null);

        await _logs.WaitForAsync(KeyFileMissingEvent, back, EventWait);
    }

    [Fact]
    public async Task ConfigurationRejectedWhileTheKeyFileIsGone_KeyBackUnchanged_NewConfigurationInForce()
    {
        var logged = _logs.Entries.Count;
        await _secret.SwapAsync(null);
        await _logs.WaitForAsync(KeyFileMissingEvent, logged, EventWait);

        await WriteSettingsAsync("gpt-4.1-mini");
        var rejection = await _logs.WaitForAsync(ConfigurationRejectedEvent, logged, EventWait);
        Assert.Contains("which does not exist", rejection.Message, StringComparison.Ordinal);
        // In full-suite runs a scrape lacked this line until 2026-12-01: see TwoGatewaysInOneProcessTests.
        Assert.Equal(1, await ConfigGauges.ReadAsync(_gateway.Http, ConfigGauges.Rejected, 1, EventWait));

        var restored = _logs.Entries.Count;
        await _secret.SwapAsync(Key);
        await _logs.WaitForAsync(ConfigurationReloadedEvent, restored, EventWait);

        Assert.Equal(0, await ConfigGauges.ReadAsync(_gateway.Http, ConfigGauges.Rejected, 0, EventWait));
        Assert.Equal(2, await PinnedRoute.GenerationAsync(_gateway.Http));
        await Task.Delay(SeveralPolls);
        Assert.Single(_logs.Entries.Skip(logged), e => e.EventId.Id == ConfigurationRejectedEvent);
    }

    private Task WriteSettingsAsync(string model) => File.WriteAllTextAsync(_config.Combine("appsettings.json"), $$"""
        {
          "RightSize": {
            "Upstreams": { "openai": { "BaseUrl": "http://127.0.0.1:9/v1", "ApiKeyFile": "{{KeyFile}}" } },
            "Tiers": { "frontier": { "Upstream": "openai", "Model": "{{model}}" } },
            "Routes": { "auto": {} }
          }
        }
        """);
}
