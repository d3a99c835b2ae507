using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RightSize.Gateway.Hosting;
using RightSize.Server.Configuration;

namespace RightSize.Gateway.Tests.Hosting;

/// <summary><c>Kestrel:Limits</c> in configuration sets the limits of the gateway's own server, and a value Kestrel would not take is named.</summary>
public sealed class KestrelLimitsSetupTests
{
    [Fact]
    public void AddKestrelLimits_NoSetting_KestrelsDefaults()
    {
        var limits = Limits([]);

        var defaults = new KestrelServerLimits();
        Assert.Equal(defaults.MaxConcurrentConnections, limits.MaxConcurrentConnections);
        Assert.Equal(defaults.KeepAliveTimeout, limits.KeepAliveTimeout);
        Assert.Equal(defaults.MinRequestBodyDataRate!.BytesPerSecond, limits.MinRequestBodyDataRate!.BytesPerSecond);
    }

    [Fact]
    public void AddKestrelLimits_Configured_SetsEachLimit()
    {
        var limits = Limits(new()
        {
            ["Kestrel:Limits:MaxConcurrentConnections"] = "500",
            ["Kestrel:Limits:keepAliveTimeout"] = "00:00:45",
            ["Kestrel:Limits:MaxRequestHeaderCount"] = "40",
            ["Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond"] = "1000",
            ["Kestrel:Limits:MinRequestBodyDataRate:GracePeriod"] = "00:00:10",
            ["Kestrel:Limits:MinResponseDataRate"] = "",
            ["Kestrel:Limits:Http2:MaxStreamsPerConnection"] = "20",
        });

        Assert.Equal(500, limits.MaxConcurrentConnections);
        Assert.Equal(TimeSpan.FromSeconds(45), limits.KeepAliveTimeout);
        Assert.Equal(40, limits.MaxRequestHeaderCount);
        Assert.Equal(1000, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.MinRequestBodyDataRate.GracePeriod);
        Assert.Null(limits.MinResponseDataRate);
        Assert.Equal(20, limits.Http2.MaxStreamsPerConnection);
    }

    [Theory]
    [InlineData("Kestrel:Limits:MaxConcurrentConnections", "-1", "Kestrel:Limits:MaxConcurrentConnections", "must be null or a positive number")]
    [InlineData("Kestrel:Limits:MaxConcurentConnections", "10", "Kestrel:Limits:MaxConcurentConnections", "is not one of Kestrel's limits")]
    [InlineData("Kestrel:Limits:KeepAliveTimeout", "soon", "Kestrel:Limits:KeepAliveTimeout", "'soon' is not a duration")]
    [InlineData("Kestrel:Limits:MaxRequestHeaderCount", "", "Kestrel:Limits:MaxRequestHeaderCount", "needs a whole number")]
    [InlineData("Kestrel:Limits:MaxConcurrentConnections:Value", "10", "Kestrel:Limits:MaxConcurrentConnections", "needs a whole number, not a section")]
    [InlineData("Kestrel:Limits:Http2:MaxStreamsPerConnection", "0", "Kestrel:Limits:Http2:MaxStreamsPerConnection", "greater than zero")]
    [InlineData("Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond", "100", "Kestrel:Limits:MinRequestBodyDataRate", "GracePeriod '' is not a duration")]
    [InlineData("Kestrel:Limits:MinRequestBodyDataRate:BytesPerSec", "100", "Kestrel:Limits:MinRequestBodyDataRate", "has 'BytesPerSec'")]
    [InlineData("Kestrel:Limits:MinRequestBodyDataRate", "240", "Kestrel:Limits:MinRequestBodyDataRate", "needs BytesPerSecond and GracePeriod")]
    [InlineData("Kestrel:Limits:KeepAliveTimeout", "5", "Kestrel:Limits:KeepAliveTimeout", "'5' is a number of days")]
    [InlineData("Kestrel:Limits:Http2", "5", "Kestrel:Limits:Http2", "needs a section of Http2Limits settings")]
    [InlineData("Kestrel:Limits:MaxRequestLineSize", "2000000", "Kestrel:Limits:MaxRequestBufferSize", "1048576 is less than MaxRequestLineSize (2000000)")]
    [InlineData("Kestrel:Limits:MaxRequestHeadersTotalSize", "2000000", "Kestrel:Limits:MaxRequestBufferSize", "1048576 is less than MaxRequestHeadersTotalSize (2000000)")]
    public void Check_ValueKestrelRefuses_OneErrorNamingTheKey(string key, string value, string named, string reason)
    {
        var errors = Errors(new() { [key] = value });

        var error = Assert.Single(errors);
        Assert.StartsWith(named + ": ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Parameter", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN", "00:00:05", "BytesPerSecond 'NaN' is not a number")]
    [InlineData("Infinity", "00:00:05", "BytesPerSecond 'Infinity' is not a number")]
    [InlineData("100", "5", "GracePeriod '5' is not a duration")]
    public void Check_RateNotFiniteOrGraceInDays_Refused(string bytesPerSecond, string gracePeriod, string reason)
    {
        var error = Assert.Single(Errors(new()
        {
            ["Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond"] = bytesPerSecond,
            ["Kestrel:Limits:MinRequestBodyDataRate:GracePeriod"] = gracePeriod,
        }));

        Assert.StartsWith("Kestrel:Limits:MinRequestBodyDataRate: " + reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_GracePeriodKestrelRefuses_TheRatesReason()
    {
        var error = Assert.Single(Errors(new()
        {
            ["Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond"] = "100",
            ["Kestrel:Limits:MinRequestBodyDataRate:GracePeriod"] = "00:00:00.5",
        }));

        Assert.StartsWith("Kestrel:Limits:MinRequestBodyDataRate: ", error, StringComparison.Ordinal);
        Assert.Contains("grace", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Check_ValidLimits_NothingAndTheSectionIsAKnownSetting()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Kestrel:Limits:MaxConcurrentConnections"] = "500",
            ["Kestrel:Limits:MaxRequestBodySize"] = "",
            ["Kestrel:Limits:MinRequestBodyDataRate:BytesPerSecond"] = "1000",
            ["Kestrel:Limits:MinRequestBodyDataRate:GracePeriod"] = "00:00:10",
        };

        Assert.Empty(Errors(settings));
        using var services = Build(settings);
        Assert.Equal(KestrelLimitsSetup.SectionKey, Assert.Single(services.GetServices<KnownSetting>()).Key);
    }

    private static KestrelServerLimits Limits(Dictionary<string, string?> settings)
    {
        using var services = Build(settings);
        return services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
    }

    private static List<string> Errors(Dictionary<string, string?> settings)
    {
        using var services = Build(settings);
        return KnownSettingChecks.Errors(services, settings);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddKestrelLimits(configuration).BuildServiceProvider();
    }
}
