using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests;

public class SimulatorOptionsValidatorTests
{
    private static IEnumerable<string> Failures(SimulatorOptions options)
        => new SimulatorOptionsValidator().Validate(null, options).Failures ?? [];

    [Theory]
    [InlineData(nameof(SimulatorOptions.ChunkDelay))]
    [InlineData(nameof(SimulatorOptions.ResponseDelay))]
    public void Validate_DelayPastTheDayLimit_FailsNamingTheKey(string key)
    {
        var options = Sim.Options("small");
        var tooLong = TimeSpan.FromDays(50);   // what a bare "50" binds to; Task.Delay throws past ~49.7 days
        if (key == nameof(SimulatorOptions.ChunkDelay))
        {
            options.ChunkDelay = tooLong;
        }
        else
        {
            options.ResponseDelay = tooLong;
        }

        var failure = Assert.Single(Failures(options));

        Assert.StartsWith($"Simulator:{key} is 50.00:00:00", failure);
        Assert.Contains("24-hour", failure);
    }

    [Fact]
    public void Validate_DelaysOfExactlyTheLimit_Pass()
    {
        var options = Sim.Options("small");
        options.ChunkDelay = SimulatorConstants.MaxDelay;
        options.ResponseDelay = SimulatorConstants.MaxDelay;

        Assert.Empty(Failures(options));
    }
}
