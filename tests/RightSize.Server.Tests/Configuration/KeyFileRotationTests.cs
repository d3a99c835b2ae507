using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RightSize.Server.Configuration;
using RightSize.Server.Model;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Configuration;

/// <summary>A rotated upstream key file (a Kubernetes Secret updated in place) takes effect without a configuration change.</summary>
public sealed class KeyFileRotationTests : IDisposable
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), "rs-key-" + Guid.NewGuid().ToString("N"));
    private readonly FakeLogger<GatewaySnapshotStore> _logger = new();

    public KeyFileRotationTests() => File.WriteAllText(_keyFile, "sk-first\n");

    public void Dispose() => File.Delete(_keyFile);

    [Fact]
    public void KeyFileRewritten_NewSnapshotCarriesTheNewKey()
    {
        using var store = CreateStore();
        Assert.Equal("Bearer sk-first", Openai(store).Authorization);

        File.WriteAllText(_keyFile, "sk-second\n");
        store.ReloadIfKeyFilesChanged();

        Assert.Equal(2, store.Current.Generation);
        Assert.Equal("Bearer sk-second", Openai(store).Authorization);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Message.Contains("sk-", StringComparison.Ordinal));
    }

    [Fact]
    public void KeyFileRewrittenWithALineBreakInside_RejectedAndTheKeyInForceStays()
    {
        using var store = CreateStore();

        File.WriteAllText(_keyFile, "sk-second\r\nX-Injected: yes\n");
        store.ReloadIfKeyFilesChanged();

        Assert.Equal(1, store.Current.Generation);
        Assert.Equal("Bearer sk-first", Openai(store).Authorization);
        var rejection = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("holds a space, a line break", rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-second", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n")]
    public void KeyFileEmptied_RejectedAndTheKeyInForceStays(string text)
    {
        // `echo new > file` truncates before it writes: a check in between must not send requests without a key.
        using var store = CreateStore();

        File.WriteAllText(_keyFile, text);
        store.ReloadIfKeyFilesChanged();

        Assert.Equal(1, store.Current.Generation);
        Assert.Equal("Bearer sk-first", Openai(store).Authorization);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("ApiKeyFile names an empty file", StringComparison.Ordinal));
    }

    [Fact]
    public void KeyFileUnchanged_NoNewSnapshot()
    {
        using var store = CreateStore();

        File.WriteAllText(_keyFile, "sk-first"); // the same key, without the newline
        store.ReloadIfKeyFilesChanged();

        Assert.Equal(1, store.Current.Generation);
    }

    [Fact]
    public void KeyFileGoneForAMoment_KeyInForceStays()
    {
        using var store = CreateStore();

        File.Delete(_keyFile);
        store.ReloadIfKeyFilesChanged();

        Assert.Equal(1, store.Current.Generation);
        Assert.Equal("Bearer sk-first", Openai(store).Authorization);
        Assert.False(store.LastLoadRejected);
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public void KeyFileRewritten_WhileTheConfigurationNoLongerValidates_NewKeyAppliedToTheConfigurationInForce()
    {
        // The provider revoked the old key: the new one must not wait for an unrelated mistake to be fixed.
        var configuration = Configuration();
        using var store = CreateStore(configuration);
        configuration["RightSize:Routes:auto:Threshold"] = "1.5"; // not reloaded yet: the next rebuild will see it

        File.WriteAllText(_keyFile, "sk-second");
        store.ReloadIfKeyFilesChanged();
        store.ReloadIfKeyFilesChanged();

        Assert.Equal(2, store.Current.Generation);
        Assert.Equal("Bearer sk-second", Openai(store).Authorization);
        Assert.Equal(0.7, store.Current.RoutesByName["auto"].Threshold); // the configuration in force, not the rejected one
        var records = _logger.Collector.GetSnapshot();
        Assert.Contains("RightSize:Routes:auto:Threshold", Assert.Single(records, r => r.Level == LogLevel.Error).Message);
        Assert.Contains("generation 2", Assert.Single(records, r => r.Id.Id == 106).Message);
        Assert.DoesNotContain(records, r => r.Message.Contains("sk-", StringComparison.Ordinal));
    }

    [Fact]
    public void KeyFileEmptied_WhileTheConfigurationNoLongerValidates_KeyInForceStays()
    {
        var configuration = Configuration();
        using var store = CreateStore(configuration);
        configuration["RightSize:Routes:auto:Threshold"] = "1.5";

        File.WriteAllText(_keyFile, "");
        store.ReloadIfKeyFilesChanged();

        Assert.Equal(1, store.Current.Generation);
        Assert.Equal("Bearer sk-first", Openai(store).Authorization);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Id == 106);
    }

    [Fact]
    public void KeyFileRewritten_RebuildCannotReadIt_NextCheckAppliesTheNewKey()
    {
        var newKeyReads = 0;
        string ReadFile(string path)
        {
            var text = File.ReadAllText(path);
            // The check reads the new key; the rebuild right after it finds the file mid-replacement.
            if (text.Trim() == "sk-second" && ++newKeyReads == 2) throw new IOException("The file is being replaced.");
            return text;
        }

        using var store = SampleConfiguration.Store(Configuration(), _logger, builder: new GatewaySnapshotBuilder(SampleConfiguration.Environment, ReadFile));
        File.WriteAllText(_keyFile, "sk-second");
        store.ReloadIfKeyFilesChanged();
        Assert.Equal("Bearer sk-first", Openai(store).Authorization);

        store.ReloadIfKeyFilesChanged();

        Assert.Equal(2, store.Current.Generation);
        Assert.Equal("Bearer sk-second", Openai(store).Authorization);
        Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
    }

    [Fact]
    public void BadKeyBesideAnotherError_BothListedAtStartUp()
    {
        File.WriteAllText(_keyFile, "sk-two words\n");
        var configuration = Configuration();
        configuration["RightSize:Routes:auto:Threshold"] = "1.5";

        var failures = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration)).Failures.ToList();

        Assert.Equal(2, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("RightSize:Routes:auto:Threshold", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("holds a space, a line break", StringComparison.Ordinal));
    }

    [Fact]
    public void ReloadNamingAnEmptyNewKeyFile_AppliedOnceTheFileHoldsAKey()
    {
        // A Secret mounted and named in the same rollout, but written a moment later.
        var newKeyFile = _keyFile + "-new";
        File.WriteAllText(newKeyFile, "");
        try
        {
            var configuration = Configuration();
            using var store = CreateStore(configuration);
            configuration["RightSize:Upstreams:openai:ApiKeyFile"] = newKeyFile;
            configuration.Reload();
            Assert.Equal(1, store.Current.Generation);
            store.ReloadIfKeyFilesChanged(); // nothing changed yet: nothing tried, nothing logged again
            Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);

            File.WriteAllText(newKeyFile, "sk-new\n");
            store.ReloadIfKeyFilesChanged();

            Assert.Equal(2, store.Current.Generation);
            Assert.Equal("Bearer sk-new", Openai(store).Authorization);
        }
        finally
        {
            File.Delete(newKeyFile);
        }
    }

    [Fact]
    public void KeyFileGone_ReloadRejected_FileBackWithTheSameKey_NewConfigurationInForce()
    {
        // A Secret update dropped the key, the configuration was edited meanwhile, and the key came back unchanged.
        var configuration = Configuration();
        using var store = CreateStore(configuration);
        File.Delete(_keyFile);
        store.ReloadIfKeyFilesChanged();
        configuration["RightSize:Routes:auto:Threshold"] = "0.8";
        configuration.Reload();
        store.ReloadIfKeyFilesChanged(); // still gone: nothing tried, nothing logged again
        Assert.True(store.LastLoadRejected);
        Assert.Contains("which does not exist", Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error).Message, StringComparison.Ordinal);

        File.WriteAllText(_keyFile, "sk-first\n");
        store.ReloadIfKeyFilesChanged();
        store.ReloadIfKeyFilesChanged();

        Assert.False(store.LastLoadRejected);
        Assert.Equal(2, store.Current.Generation);
        Assert.Equal(0.8, store.Current.RoutesByName["auto"].Threshold);
        Assert.Equal("Bearer sk-first", Openai(store).Authorization);
        var records = _logger.Collector.GetSnapshot();
        Assert.Single(records, r => r.Id.Id == 108);
        Assert.Single(records, r => r.Id.Id == 100);
        Assert.DoesNotContain(records, r => r.Id.Id == 102);
    }

    [Fact]
    public void KeyFileGone_ReloadRejectedForAnotherErrorToo_FileBack_TriedOnceNotEverySecond()
    {
        var configuration = Configuration();
        using var store = CreateStore(configuration);
        File.Delete(_keyFile);
        configuration["RightSize:Routes:auto:Threshold"] = "1.5";
        configuration.Reload();

        File.WriteAllText(_keyFile, "sk-first\n");
        store.ReloadIfKeyFilesChanged();
        store.ReloadIfKeyFilesChanged();
        store.ReloadIfKeyFilesChanged();

        Assert.True(store.LastLoadRejected);
        Assert.Equal(1, store.Current.Generation);
        var records = _logger.Collector.GetSnapshot();
        Assert.Single(records, r => r.Id.Id == 108);
        var rejections = records.Where(r => r.Level == LogLevel.Error).ToList();
        Assert.Equal(2, rejections.Count); // the file's error gone from the second, so it is logged
        Assert.Contains("which does not exist", rejections[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("which does not exist", rejections[1].Message, StringComparison.Ordinal);
        Assert.Contains("RightSize:Routes:auto:Threshold", rejections[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFileUnreadable_ReloadRejected_ReadableAgainWithTheSameKey_NewConfigurationInForce()
    {
        var readable = true;
        string ReadFile(string path) => readable ? File.ReadAllText(path) : throw new UnauthorizedAccessException("Access to the path is denied.");
        var configuration = Configuration();
        using var store = SampleConfiguration.Store(configuration, _logger, builder: new GatewaySnapshotBuilder(SampleConfiguration.Environment, ReadFile));
        readable = false;
        configuration["RightSize:Routes:auto:Threshold"] = "0.8";
        configuration.Reload();
        store.ReloadIfKeyFilesChanged();
        Assert.True(store.LastLoadRejected);
        Assert.Contains("could not be read", Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error).Message, StringComparison.Ordinal);

        readable = true;
        store.ReloadIfKeyFilesChanged();

        Assert.False(store.LastLoadRejected);
        Assert.Equal(2, store.Current.Generation);
        Assert.Equal(0.8, store.Current.RoutesByName["auto"].Threshold);
    }

    private static UpstreamEndpoint Openai(GatewaySnapshotStore store) => store.Current.Upstreams.Single(u => u.Name == "openai");

    private IConfigurationRoot Configuration() => SampleConfiguration.Configuration(SampleConfiguration.With(
        ("RightSize:Upstreams:openai:ApiKeyEnv", null),
        ("RightSize:Upstreams:openai:ApiKeyFile", _keyFile)));

    private GatewaySnapshotStore CreateStore(IConfigurationRoot? configuration = null) =>
        SampleConfiguration.Store(configuration ?? Configuration(), _logger, builder: new GatewaySnapshotBuilder(SampleConfiguration.Environment, File.ReadAllText));
}
