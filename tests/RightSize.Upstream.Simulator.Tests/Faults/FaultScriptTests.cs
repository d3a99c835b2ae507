using RightSize.Upstream.Simulator.Faults;

namespace RightSize.Upstream.Simulator.Tests.Faults;

public class FaultScriptTests
{
    [Fact]
    public void Parse_Combination_ReadsEveryStep()
    {
        var script = FaultScript.Parse(" Status=429 ; retry-after=2;delay=1500;cut-after=3;drip=200;times=1 ");

        Assert.Equal(429, script.Status);
        Assert.Equal(2, script.RetryAfterSeconds);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), script.Delay);
        Assert.Equal(3, script.CutAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(200), script.Drip);
        Assert.Equal(1, script.Times);
        Assert.False(script.Reset);
    }

    [Fact]
    public void Parse_Reset_SetsReset()
    {
        Assert.True(FaultScript.Parse("reset").Reset);
    }

    [Theory]
    [InlineData("status=503")]
    [InlineData("delay=250;status=429;retry-after=1;times=2")]
    [InlineData("reset;times=1")]
    [InlineData("cut-after=0;drip=10")]
    public void ToString_ParsedScript_RoundTrips(string text)
    {
        var script = FaultScript.Parse(text);

        Assert.Equal(script, FaultScript.Parse(script.ToString()));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("status=200", "'status=200'")]
    [InlineData("status=abc", "'status=abc'")]
    [InlineData("explode=1", "'explode'")]
    [InlineData("retry-after=2", "'retry-after' needs a 'status'")]
    [InlineData("times=0;status=500", "'times=0'")]
    [InlineData("delay", "'delay' needs a value")]
    [InlineData("reset=1", "'reset' takes no value")]
    [InlineData("status=500;status=503", "more than once")]
    public void TryParse_Invalid_ReturnsFalseNamingTheStep(string text, string expected)
    {
        Assert.False(FaultScript.TryParse(text, out var script, out var error));
        Assert.Null(script);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryParse_SeveralErrors_ListsEachOfThem()
    {
        Assert.False(FaultScript.TryParse("status=1;drip=-5;bogus", out _, out var error));

        Assert.Contains("'status=1'", error);
        Assert.Contains("'drip=-5'", error);
        Assert.Contains("'bogus'", error);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => FaultScript.Parse("status=99"));
    }
}
