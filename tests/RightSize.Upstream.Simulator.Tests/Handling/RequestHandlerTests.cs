using RightSize.Upstream.Simulator.Journal;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Handling;

public class RequestHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HandleAsync_UnexpectedFailureWhileAnswering_EndsTheEntryAsServerAborted()
    {
        var options = Sim.Options("small");
        options.ResponseDelay = TimeSpan.FromMilliseconds(1);
        await using var simulator = await UpstreamSimulator.StartAsync(options, new TimerlessTimeProvider(), cancellationToken: Ct);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi")), Ct);
        var entry = await simulator.Journal.WaitForEndAsync("small", Sim.WaitTimeout, Ct);

        Assert.Equal(RequestOutcome.ServerAborted, entry.Outcome);
    }
}
