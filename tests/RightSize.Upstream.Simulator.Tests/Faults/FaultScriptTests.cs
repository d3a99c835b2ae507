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

    public static TheoryData<FaultScript, string> CodeBuiltOutOfRange => new()
    {
        { new FaultScript { Status = 42 }, "Status is 42" },
        { new FaultScript { Status = 200 }, "Status is 200" },
        { new FaultScript { Status = 429, RetryAfterSeconds = -1 }, "RetryAfterSeconds is -1" },
        { new FaultScript { RetryAfterSeconds = 2 }, "RetryAfterSeconds needs a Status" },
        { new FaultScript { Delay = TimeSpan.FromDays(50) }, "Delay is 50.00:00:00" },
        { new FaultScript { Drip = TimeSpan.FromMilliseconds(-1) }, "Drip is -00:00:00.0010000" },
        { new FaultScript { CutAfter = -3 }, "CutAfter is -3" },
        { new FaultScript { Times = 0, Status = 503 }, "Times is 0" },
    };

    [Theory]
    [MemberData(nameof(CodeBuiltOutOfRange))]
    public void FaultTableSet_CodeBuiltScriptOutOfRange_ThrowsNamingTheProperty(FaultScript script, string expected)
    {
        var table = new FaultTable([]);

        var ex = Assert.Throws<ArgumentException>(() => table.Set("small", script));

        Assert.Contains(expected, ex.Message);
        Assert.Null(table.Get("small"));
    }

    [Theory]
    [MemberData(nameof(CodeBuiltOutOfRange))]
    public void OptionsValidation_CodeBuiltScriptOutOfRange_FailsNamingTheModelAndProperty(FaultScript script, string expected)
    {
        var options = new SimulatorOptions { Models = { "small" } };
        options.Faults["small"] = script;

        var failure = Assert.Single(new SimulatorOptionsValidator().Validate(null, options).Failures ?? []);

        Assert.StartsWith("Simulator:Faults:small: ", failure);
        Assert.Contains(expected, failure);
    }

    [Fact]
    public void FaultTableSet_CodeBuiltScriptAtTheLimits_IsKept()
    {
        var table = new FaultTable([]);
        var script = new FaultScript { Status = 599, RetryAfterSeconds = 86_400, Delay = TimeSpan.FromHours(24), Drip = TimeSpan.Zero, CutAfter = 0, Times = 1 };

        table.Set("small", script);

        Assert.Same(script, table.Get("small"));
    }
}
