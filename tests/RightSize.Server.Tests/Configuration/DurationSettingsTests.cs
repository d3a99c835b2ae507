using Microsoft.Extensions.Options;
using RightSize.Server.Configuration;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Configuration;

/// <summary>
/// A duration written as a bare number is refused: the binder reads <c>"Deadline": "1"</c> as one
/// day and <c>"30"</c> as thirty, never the seconds the operator meant.
/// </summary>
public class DurationSettingsTests
{
    [Theory]
    [InlineData("RightSize:Routes:auto:Deadline", "1")]
    [InlineData("RightSize:Upstreams:local:HeadersTimeout", "30")]
    [InlineData("RightSize:Gateway:ConnectTimeout", " 5 ")]
    [InlineData("RightSize:Upstreams:local:CircuitBreaker:BreakDuration", "2")]
    public void BareNumber_ForADuration_IsRefusedNamingTheKey(string key, string value)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => SampleConfiguration.Store(SampleConfiguration.Configuration(SampleConfiguration.With((key, value)))));

        Assert.Contains($"{key} is '{value}', which would read as that many days. Write a duration as hh:mm:ss, such as 00:00:30.", ex.Failures);
    }

    [Fact]
    public void Zero_ForADuration_IsAccepted()
    {
        // Zero is zero in any unit: RetryAfterLimit 0 turns the retry off.
        using var store = SampleConfiguration.Store(SampleConfiguration.Configuration(SampleConfiguration.With(("RightSize:Routes:auto:RetryAfterLimit", "0"))));

        Assert.Equal(TimeSpan.Zero, store.Current.RoutesByName["auto"].RetryAfterLimit);
    }

    [Fact]
    public void BareNumber_ForADurationReadElsewhere_LeftToItsOwnCheck()
    {
        // The host's ShutdownTimeout reports its own errors: one message per key, not two.
        const string key = "RightSize:Gateway:ShutdownTimeout";
        var setting = new KnownSetting(key, typeof(TimeSpan)) { Check = (configuration, errors) => errors.Add("own check: " + configuration[key]) };

        var ex = Assert.Throws<OptionsValidationException>(() => SampleConfiguration.Store(SampleConfiguration.Configuration(SampleConfiguration.With((key, "30"))), readElsewhere: [setting]));

        Assert.Equal("own check: 30", Assert.Single(ex.Failures));
    }

    [Theory]
    [InlineData("00:00:30", 30)]
    [InlineData("0:5:0", 300)]
    [InlineData("1.00:00:00", 86_400)]
    public void Duration_WithAColon_IsAccepted(string value, int seconds)
    {
        using var store = SampleConfiguration.Store(SampleConfiguration.Configuration(SampleConfiguration.With(("RightSize:Routes:auto:Deadline", value))));

        Assert.Equal(TimeSpan.FromSeconds(seconds), store.Current.RoutesByName["auto"].Deadline);
    }
}
