using RightSize.Upstream.Simulator;

namespace RightSize.FunctionalTests.Infrastructure;

/// <summary>Three simulators on loopback, one per tier, each serving one model.</summary>
public sealed class TestUpstreams : IAsyncDisposable
{
    public const string SmallModel = "sim-small";
    public const string MidModel = "sim-mid";
    public const string FrontierModel = "sim-frontier";

    private TestUpstreams(UpstreamSimulator small, UpstreamSimulator mid, UpstreamSimulator frontier)
    {
        Small = small;
        Mid = mid;
        Frontier = frontier;
    }

    public UpstreamSimulator Small { get; }

    public UpstreamSimulator Mid { get; }

    public UpstreamSimulator Frontier { get; }

    public IEnumerable<UpstreamSimulator> All => [Small, Mid, Frontier];

    /// <summary>Requests that reached any upstream.</summary>
    public long TotalReceived => Small.Journal.TotalReceived + Mid.Journal.TotalReceived + Frontier.Journal.TotalReceived;

    public static async Task<TestUpstreams> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        return new TestUpstreams(await StartOne(SmallModel, configure), await StartOne(MidModel, configure), await StartOne(FrontierModel, configure));
    }

    public UpstreamSimulator For(string tier) => tier switch
    {
        "small" => Small,
        "mid" => Mid,
        "frontier" => Frontier,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, null),
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var simulator in All) await simulator.DisposeAsync();
    }

    private static Task<UpstreamSimulator> StartOne(string model, Action<SimulatorOptions>? configure)
    {
        var options = new SimulatorOptions { StreamChunks = 6 };
        options.Models.Add(model);
        configure?.Invoke(options);
        return UpstreamSimulator.StartAsync(options);
    }
}
