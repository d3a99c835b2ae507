using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RightSize.Server.Configuration;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Configuration;

/// <summary>A key that no setting reads is refused, naming the key, rather than silently ignored.</summary>
public class UnknownSettingsTests
{
    [Theory]
    [InlineData("RightSize:Routes:auto:Treshold", "0.5", "RightSize:Routes:auto:Treshold", "Threshold")]
    [InlineData("RightSize:Route:auto:Threshold", "0.5", "RightSize:Route", "Routes")]
    [InlineData("RightSize:Upstreams:local:CircuitBreaker:FailureRaito", "0.5", "RightSize:Upstreams:local:CircuitBreaker:FailureRaito", "FailureRatio")]
    [InlineData("RightSize:Routes:support:Rules:ToolMinTier", "mid", "RightSize:Routes:support:Rules:ToolMinTier", "ToolsMinTier")]
    [InlineData("RightSize:Routes:support:Rules:MediaMinTeir", "mid", "RightSize:Routes:support:Rules:MediaMinTeir", "MediaMinTier")]
    [InlineData("RightSize:Tiers:small:InputPerMToks", "0.1", "RightSize:Tiers:small:InputPerMToks", "InputPerMTok")]
    [InlineData("RightSize:Telemetry:Currancy", "EUR", "RightSize:Telemetry:Currancy", "Currency")]
    public void Misspelt_IsRefusedNamingTheKeyAndTheLikelySetting(string key, string value, string reported, string meant)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(SampleConfiguration.Configuration(SampleConfiguration.With((key, value)))));

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith($"{reported} is not a setting, so it would be ignored. Did you mean {meant}?", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(value, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_WithNothingClose_ListsTheSettingsOfItsSection()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(("RightSize:Classifier:Engine", "onnx")));

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration));

        Assert.Equal(
            "RightSize:Classifier:Engine is not a setting, so it would be ignored. The settings of RightSize:Classifier are ModelPath, VerifyGoldenVectors.",
            Assert.Single(ex.Failures));
    }

    [Fact]
    public void KeysOfEveryKind_DifferentCase_AreAccepted()
    {
        // Route, upstream and tier names are entries, not settings; the binder matches names without regard to case.
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(
            ("RightSize:Routes:any-name:claimmodels:0", "gpt-x"),
            ("RightSize:Routes:any-name:TIERS:mid:Model", "m"),
            ("RightSize:Routes:any-name:Embeddings:Model", "e"),
            ("RightSize:Upstreams:local:circuitBreaker:Enabled", "false"),
            ("RightSize:Telemetry:Currency", "EUR"),
            ("RightSize:Gateway:ConnectTimeout", "00:00:05")));

        using var store = CreateStore(configuration);

        Assert.Contains("any-name", store.Current.RoutesByName.Keys);
    }

    [Fact]
    public void KeysReadElsewhere_AreAcceptedWithTheSettingsOfTheirType()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(
            ("RightSize:Gateway:DrainDelay", "00:00:05"),
            ("RightSize:Extras:Name", "x"),
            ("RightSize:Extras:Nmae", "y")));
        KnownSetting[] elsewhere = [new("RightSize:Gateway:DrainDelay", typeof(TimeSpan)), new("RightSize:Extras", typeof(ExtrasOptions))];

        var ex = Assert.Throws<OptionsValidationException>(() => CreateStore(configuration, elsewhere));

        Assert.StartsWith("RightSize:Extras:Nmae is not a setting, so it would be ignored. Did you mean Name?", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_WithAMisspeltKey_IsRejectedAndTheConfigurationInForceStays()
    {
        var configuration = SampleConfiguration.Configuration();
        var logger = new FakeLogger<GatewaySnapshotStore>();
        using var store = CreateStore(configuration, logger: logger);

        configuration["RightSize:Routes:auto:MinConfidance"] = "0.9";
        configuration.Reload();

        Assert.Equal(1, store.Current.Generation);
        Assert.Equal(0.6, store.Current.RoutesByName["auto"].MinConfidence);
        Assert.Contains("RightSize:Routes:auto:MinConfidance is not a setting", logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    private static GatewaySnapshotStore CreateStore(IConfigurationRoot configuration, IEnumerable<KnownSetting>? elsewhere = null, FakeLogger<GatewaySnapshotStore>? logger = null) =>
        SampleConfiguration.Store(configuration, logger, elsewhere);

    private sealed class ExtrasOptions
    {
        public string? Name { get; set; }
    }
}
