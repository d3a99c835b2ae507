using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RightSize.Classification;
using RightSize.Server.Configuration;
using RightSize.Server.Model;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Configuration;

public class GatewaySnapshotStoreTests
{
    private readonly FakeLogger<GatewaySnapshotStore> _logger = new();

    [Fact]
    public void Constructor_ValidConfiguration_BuildsGenerationOne()
    {
        using var store = CreateStore(SampleConfiguration.Configuration());

        Assert.Equal(1, store.Current.Generation);
        Assert.Equal(["auto", "support"], store.Current.RoutesByName.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidConfiguration_ThrowsListingEveryError()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(
            ("RightSize:Tiers:mid:Upstream", "nowhere"),
            ("RightSize:Routes:auto:Threshold", "1.5"),
            ("RightSize:Upstreams:local:BaseUrl", "not a url")));

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration));

        var failures = ex.Failures.ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("RightSize:Tiers:mid:Upstream", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("RightSize:Routes:auto:Threshold", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("RightSize:Upstreams:local:BaseUrl", StringComparison.Ordinal));
        Assert.All(failures, f => Assert.Contains(f, ex.Message));
    }

    [Fact]
    public void Constructor_ValueOfTheWrongType_ThrowsOptionsValidationExceptionNamingTheKey()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(("RightSize:Gateway:MaxRequestBodyBytes", "lots")));

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration));

        Assert.Contains("RightSize:Gateway:MaxRequestBodyBytes", Assert.Single(ex.Failures));
    }

    [Fact]
    public void Constructor_RouteValueOfTheWrongType_ThrowsNamingTheKey()
    {
        // RightSize__Routes__auto__Threshold=high must stop start-up, not remove the route 'auto'
        // (which today turns every request for model 'auto' into a 404).
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(("RightSize:Routes:auto:Threshold", "high")));

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration));

        Assert.Contains(ex.Failures, f => f.Contains("RightSize:Routes:auto:Threshold", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_ClaimModelsAsOneValue_ThrowsNamingTheKey()
    {
        // RightSize__Routes__support__ClaimModels=gpt-4o (without __0): the binder ignores it, and
        // the route would silently claim nothing.
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(("RightSize:Routes:support:ClaimModels:0", null), ("RightSize:Routes:support:ClaimModels", "gpt-4o")));

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration));

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith("RightSize:Routes:support:ClaimModels is a list", failure, StringComparison.Ordinal);
        Assert.Contains("RightSize__Routes__support__ClaimModels__0", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RightSize:Routes:premium", "frontier")]
    [InlineData("RightSize:Routes:0", "premium")]
    [InlineData("RightSize:Upstreams:openai", SampleConfiguration.OpenAIKey)]
    [InlineData("RightSize:Routes:auto:Rules", "mid")]
    public void Constructor_SectionGivenAPlainValue_ThrowsNamingTheKeyWithoutTheValue(string key, string value)
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With((key, value)));

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration));

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith(key + " holds settings", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(value, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptySectionValue_Accepted()
    {
        // "auto": {} in JSON, or RightSize__Routes__premium= from the environment, creates a route with every default.
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(("RightSize:Routes:premium", ""), ("RightSize:Routes:auto:ClaimModels", "")));

        using var store = CreateStore(configuration);

        Assert.True(store.Current.RoutesByName.ContainsKey("premium"));
    }

    [Fact]
    public void Constructor_TierPriceOfTheWrongType_ThrowsNamingTheKey()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(("RightSize:Tiers:small:InputPerMTok", "cheap")));

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration));

        Assert.Contains(ex.Failures, f => f.Contains("RightSize:Tiers:small:InputPerMTok", StringComparison.Ordinal));
    }

    [Fact]
    public void Reload_ValidChange_SwapsTheSnapshotAndRaisesChanged()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);
        var before = store.Current;
        GatewaySnapshot? announced = null;
        store.Changed += s => announced = s;

        configuration["RightSize:Routes:auto:Tier"] = "small";
        configuration.Reload();

        var after = store.Current;
        Assert.NotSame(before, after);
        Assert.True(after.Generation > before.Generation);
        Assert.Equal(Tier.Small, after.RoutesByName["auto"].FixedTier);
        Assert.Null(before.RoutesByName["auto"].FixedTier);
        Assert.Same(after, announced);
        var record = _logger.LatestRecord;
        Assert.Equal((LogLevel.Information, 100), (record.Level, record.Id.Id));
    }

    [Fact]
    public void Reload_InvalidChange_KeepsThePreviousSnapshotAndLogsTheErrors()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);
        var before = store.Current;
        var changes = 0;
        store.Changed += _ => changes++;

        configuration["RightSize:Routes:auto:Tier"] = "huge";
        configuration["RightSize:Tiers:mid:Upstream"] = "nowhere";
        configuration.Reload();

        Assert.Same(before, store.Current);
        Assert.Equal(0, changes);
        var record = _logger.LatestRecord;
        Assert.Equal((LogLevel.Error, 101), (record.Level, record.Id.Id));
        Assert.Contains("RightSize:Routes:auto:Tier", record.Message);
        Assert.Contains("RightSize:Tiers:mid:Upstream", record.Message);
        Assert.Contains($"generation {before.Generation} stays in force", record.Message);
    }

    [Fact]
    public void Reload_ListenerThrows_TheSnapshotStaysInForceAndTheNextListenerIsTold()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);
        GatewaySnapshot? told = null;
        store.Changed += _ => throw new InvalidOperationException("listener broke");
        store.Changed += s => told = s;

        configuration["RightSize:Routes:auto:Tier"] = "small";
        configuration.Reload();

        Assert.Equal(2, store.Current.Generation);
        Assert.Same(store.Current, told);
        var records = _logger.Collector.GetSnapshot();
        Assert.DoesNotContain(records, r => r.Id.Id == 101);
        var failure = Assert.Single(records, r => r.Id.Id == 105);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains("generation 2 is in force", failure.Message);
        Assert.Equal("listener broke", failure.Exception?.Message);
    }

    [Fact]
    public void Reload_InvalidThenFixed_SwapsToTheFixedConfiguration()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);
        configuration["RightSize:Routes:auto:Threshold"] = "2";
        configuration.Reload();
        var kept = store.Current;

        configuration["RightSize:Routes:auto:Threshold"] = "0.9";
        configuration.Reload();

        Assert.True(store.Current.Generation > kept.Generation);
        Assert.Equal(0.9, store.Current.RoutesByName["auto"].Threshold);
    }

    [Fact]
    public void Reload_RejectedThenValid_NextGenerationIsOneMoreThanTheOneInForce()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);
        configuration["RightSize:Routes:auto:Threshold"] = "2";
        configuration.Reload();
        configuration.Reload();

        configuration["RightSize:Routes:auto:Threshold"] = "0.9";
        configuration.Reload();

        Assert.Equal(2, store.Current.Generation);
        Assert.Equal("Configuration reloaded: generation 2, 2 routes in force", _logger.LatestRecord.Message);
    }

    [Fact]
    public void Reload_ValueOfTheWrongType_KeepsThePreviousSnapshotAndLogs()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);
        var before = store.Current;

        configuration["RightSize:Gateway:MaxRequestBodyBytes"] = "lots";
        configuration.Reload();

        Assert.Same(before, store.Current);
        Assert.Equal(LogLevel.Error, _logger.LatestRecord.Level);
    }

    [Fact]
    public void Reload_LogOfRejectedConfiguration_NeverContainsTheKey()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);

        configuration["RightSize:Upstreams:openai:BaseUrl"] = "nope";
        configuration.Reload();

        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Message.Contains(SampleConfiguration.OpenAIKey, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Error, _logger.LatestRecord.Level);
    }

    [Fact]
    public void Dispose_ThenReload_NoLongerSwaps()
    {
        var configuration = SampleConfiguration.Configuration();
        var store = CreateStore(configuration);
        var before = store.Current;

        store.Dispose();
        configuration["RightSize:Routes:auto:Tier"] = "small";
        configuration.Reload();

        Assert.Same(before, store.Current);
    }

    [Fact]
    public void Constructor_BadTelemetryBesideBadRoute_ListsBoth()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(
            ("RightSize:Routes:auto:Threshold", "1.5"),
            ("RightSize:Telemetry:Currency", "dollars")));

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration));

        Assert.Contains(ex.Failures, f => f.StartsWith("RightSize:Routes:auto:Threshold", StringComparison.Ordinal));
        Assert.Contains("RightSize:Telemetry:Currency must be a three-letter currency code such as USD or EUR.", ex.Failures);
    }

    [Theory]
    [InlineData("StatsWindowMinutes", "99999", "RightSize:Telemetry:StatsWindowMinutes must be between 1 and 1440.")]
    [InlineData("ServiceName", "", "RightSize:Telemetry:ServiceName must not be empty")]
    [InlineData("PrometheusPath", "", "RightSize:Telemetry:PrometheusPath must be a URL path")]
    public void Reload_TelemetryTheNextStartWouldRefuse_IsRejected(string key, string value, string error)
    {
        // Telemetry is read at start-up only: accepted now, it would take no effect and stop the next start.
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);

        configuration["RightSize:Telemetry:" + key] = value;
        configuration.Reload();

        Assert.Equal(1, store.Current.Generation);
        Assert.Contains(error, _logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SettingReadElsewhereRefusesItsValue_ListedBesideTheOtherErrors()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(
            ("RightSize:Routes:auto:Threshold", "1.5"),
            (StartOnlyKey, "later")));

        var ex = Assert.Throws<OptionsValidationException>(() => SampleConfiguration.Store(configuration, _logger, [StartOnlySetting]));

        Assert.Contains(ex.Failures, f => f.StartsWith("RightSize:Routes:auto:Threshold", StringComparison.Ordinal));
        Assert.Contains($"{StartOnlyKey} must be a number; it is 'later'.", ex.Failures);
    }

    [Fact]
    public void Reload_SettingReadElsewhereRefusesItsValue_IsRejected()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With((StartOnlyKey, "3")));
        using var store = SampleConfiguration.Store(configuration, _logger, [StartOnlySetting]);

        configuration[StartOnlyKey] = "later";
        configuration.Reload();
        Assert.Equal(1, store.Current.Generation);
        Assert.Contains($"{StartOnlyKey} must be a number; it is 'later'.", _logger.LatestRecord.Message, StringComparison.Ordinal);

        configuration[StartOnlyKey] = "4";
        configuration.Reload();
        Assert.Equal(2, store.Current.Generation);
    }

    [Fact]
    public void Reload_ChangesSettingsReadOnlyAtStart_InForceWithAWarningNamingThem()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With((StartOnlyKey, "3")));
        using var store = SampleConfiguration.Store(configuration, _logger, [StartOnlySetting]);

        configuration["RightSize:Classifier:ModelPath"] = "models/other";
        configuration["RightSize:Telemetry:Currency"] = "EUR";
        configuration[StartOnlyKey] = "4";
        configuration["RightSize:Routes:auto:Threshold"] = "0.6";
        configuration.Reload();

        Assert.Equal(2, store.Current.Generation);
        Assert.Equal(0.6, store.Current.RoutesByName["auto"].Threshold);
        var warning = _logger.LatestRecord;
        Assert.Equal((LogLevel.Warning, 104), (warning.Level, warning.Id.Id));
        Assert.EndsWith(
            $"take effect at the next restart: RightSize:Classifier:ModelPath, {StartOnlyKey}, RightSize:Telemetry:Currency",
            warning.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_ChangesOnlyLiveSettings_NoRestartWarning()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = CreateStore(configuration);

        configuration["RightSize:Routes:auto:Threshold"] = "0.6";
        configuration.Reload();
        configuration["RightSize:Routes:auto:Threshold"] = "0.5";
        configuration.Reload();

        Assert.Equal(3, store.Current.Generation);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Id == 104);
    }

    private const string StartOnlyKey = "RightSize:Gateway:StartOnly";

    /// <summary>A setting the host reads at start-up, with the check a host registers for it.</summary>
    private static readonly KnownSetting StartOnlySetting = new(StartOnlyKey, typeof(int))
    {
        Check = (configuration, errors) =>
        {
            if (!int.TryParse(configuration[StartOnlyKey], out _)) errors.Add($"{StartOnlyKey} must be a number; it is '{configuration[StartOnlyKey]}'.");
        },
    };

    private GatewaySnapshotStore CreateStore(IConfigurationRoot configuration) => SampleConfiguration.Store(configuration, _logger);
}
