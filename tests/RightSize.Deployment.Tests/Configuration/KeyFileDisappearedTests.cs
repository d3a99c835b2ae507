using System.Net;
using Microsoft.Extensions.Logging;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Configuration;

/// <summary>
/// An upstream key file in a directory laid out as a mounted Secret (<c>openai-key</c> →
/// <c>..data/openai-key</c>) that an update removes: the key in force stays, and the gateway says
/// so once each time the file goes (event 107), since a restart would now fail.
/// </summary>
public sealed class KeyFileDisappearedTests : IAsyncLifetime
{
    private const int KeyFileMissingEvent = 107;
    private const string KeyName = "openai-key";
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SeveralPolls = TimeSpan.FromSeconds(3.5);

    private readonly CapturedLogs _logs = new();
    private readonly TempDirectory _secret = new("rightsize-secret-");
    private readonly TempDirectory _config = new("rightsize-config-");
    private int _version;
    private string _current = "";
    private LoggedGateway _gateway = null!;

    private string KeyFile => _secret.Combine(KeyName);

    public async ValueTask InitializeAsync()
    {
        _current = WriteVersion(withKey: true);
        File.CreateSymbolicLink(_secret.Combine("..data"), _current);
        File.CreateSymbolicLink(KeyFile, Path.Combine("..data", KeyName));
        await File.WriteAllTextAsync(_config.Combine("appsettings.json"), $$"""
            {
              "RightSize": {
                "Upstreams": { "openai": { "BaseUrl": "http://127.0.0.1:9/v1", "ApiKeyFile": "{{KeyFile}}" } },
                "Tiers": { "frontier": { "Upstream": "openai", "Model": "gpt-4.1" } },
                "Routes": { "auto": {} }
              }
            }
            """);
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

        await SwapAsync(withKey: false);

        var warning = await _logs.WaitForAsync(KeyFileMissingEvent, logged, EventWait);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(KeyFile, warning.Message, StringComparison.Ordinal);
        Assert.Contains("stays in force", warning.Message, StringComparison.Ordinal);
        await Task.Delay(SeveralPolls);
        Assert.Single(_logs.Entries.Skip(logged), e => e.EventId.Id == KeyFileMissingEvent);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.Http.GetAsync("readyz")).StatusCode);

        await SwapAsync(withKey: true);
        await Task.Delay(SeveralPolls);
        Assert.Single(_logs.Entries.Skip(logged), e => e.EventId.Id == KeyFileMissingEvent);
        var back = _logs.Entries.Count;
        await SwapAsync(withKey: false);

        await _logs.WaitForAsync(KeyFileMissingEvent, back, EventWait);
    }

    /// <summary>Points <c>..data</c> at a new directory, with or without the key file, as the kubelet updates a Secret.</summary>
    private async Task SwapAsync(bool withKey)
    {
        var next = WriteVersion(withKey);
        var temporary = _secret.Combine("..data_tmp");
        File.CreateSymbolicLink(temporary, next);
        var result = await Command.RunAsync("mv", ["-T", temporary, _secret.Combine("..data")], TimeSpan.FromSeconds(10), _secret.Path);
        Assert.True(result.ExitCode == 0, "rename of ..data_tmp over ..data failed: " + result.Describe());
        Directory.Delete(_secret.Combine(_current), recursive: true);
        _current = next;
    }

    private string WriteVersion(bool withKey)
    {
        var name = $"..2026_01_01_00_00_00.{++_version:D9}";
        Directory.CreateDirectory(_secret.Combine(name));
        if (withKey) File.WriteAllText(_secret.Combine(name, KeyName), "sk-test\n");
        return name;
    }
}
