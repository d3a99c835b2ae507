using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using RightSize.Server.Configuration;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Configuration;

/// <summary>
/// A JSON <c>null</c> (or <c>{}</c>) given to a setting that has a default is refused: the binder
/// would turn <c>"Threshold": null</c> into 0 and <c>"Enabled": null</c> into false without a word.
/// </summary>
public class NullSettingsTests
{
    [Theory]
    [InlineData("""{"RightSize":{"Routes":{"auto":{"Threshold":null}}}}""", "RightSize:Routes:auto:Threshold", "0 instead of its default, 0.7")]
    [InlineData("""{"RightSize":{"Routes":{"auto":{"Threshold":{}}}}}""", "RightSize:Routes:auto:Threshold", "0 instead of its default, 0.7")]
    [InlineData("""{"RightSize":{"Routes":{"auto":{"AllowTierOverride":null}}}}""", "RightSize:Routes:auto:AllowTierOverride", "false instead of its default, true")]
    [InlineData("""{"RightSize":{"Passthrough":{"Enabled":null}}}""", "RightSize:Passthrough:Enabled", "false instead of its default, true")]
    [InlineData("""{"RightSize":{"Upstreams":{"local":{"CircuitBreaker":{"Enabled":null}}}}}""", "RightSize:Upstreams:local:CircuitBreaker:Enabled", "false instead of its default, true")]
    [InlineData("""{"RightSize":{"Telemetry":{"Currency":null}}}""", "RightSize:Telemetry:Currency", "nothing instead of its default, USD")]
    public void Null_WhereASettingHasADefault_IsRefusedNamingTheKey(string json, string key, string consequence)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => SampleConfiguration.Store(WithJson(json)));

        Assert.Contains(
            $"{key} is null or empty, which would set it to {consequence}. Remove the key to keep the default, or give a value.",
            ex.Failures);
        Assert.All(ex.Failures, failure => Assert.StartsWith(key, failure, StringComparison.Ordinal));
    }

    [Fact]
    public void Null_WhereASettingHasNoDefault_IsAccepted()
    {
        // A route's fixed Tier and an upstream's key variable are unset by default: null says the same.
        using var store = SampleConfiguration.Store(WithJson("""{"RightSize":{"Routes":{"auto":{"Tier":null}},"Upstreams":{"local":{"ApiKeyEnv":null}}}}"""));

        Assert.Null(store.Current.RoutesByName["auto"].FixedTier);
    }

    [Fact]
    public void Reload_WithANullThreshold_IsRejectedAndTheConfigurationInForceStays()
    {
        var configuration = SampleConfiguration.Configuration();
        var logger = new FakeLogger<GatewaySnapshotStore>();
        using var store = SampleConfiguration.Store(configuration, logger);

        configuration["RightSize:Routes:auto:Threshold"] = null;
        configuration.Reload();

        Assert.Equal(1, store.Current.Generation);
        Assert.Equal(0.7, store.Current.RoutesByName["auto"].Threshold);
        Assert.Contains("RightSize:Routes:auto:Threshold is null or empty", logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    private static IConfigurationRoot WithJson(string json) => new ConfigurationBuilder()
        .AddInMemoryCollection(SampleConfiguration.Values())
        .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))
        .Build();
}
