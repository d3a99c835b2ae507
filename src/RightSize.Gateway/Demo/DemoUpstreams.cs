using System.Globalization;
using RightSize.Upstream.Simulator;

namespace RightSize.Gateway.Demo;

/// <summary>
/// The built-in demo: three upstream simulators on loopback, one per tier, standing in for real
/// providers, and the configuration that points the gateway's tiers and routes at them.
/// </summary>
public sealed class DemoUpstreams : IAsyncDisposable
{
    private static readonly (string Tier, string Model, decimal Input, decimal Output)[] Tiers =
    [
        ("small", "demo-small-3b", 0.05m, 0.10m),
        ("mid", "demo-mid-mini", 0.40m, 1.60m),
        ("frontier", "demo-frontier", 2.00m, 8.00m),
    ];

    /// <summary>The embeddings model of the <c>auto</c> route, served by the frontier simulator (embeddings go to a route's highest tier's upstream).</summary>
    public const string EmbeddingsModel = "demo-embed";

    private readonly UpstreamSimulator[] _simulators;

    private DemoUpstreams(UpstreamSimulator[] simulators) => _simulators = simulators;

    public IReadOnlyList<UpstreamSimulator> Simulators => _simulators;

    public static async Task<DemoUpstreams> StartAsync(CancellationToken cancellationToken = default)
    {
        var simulators = new List<UpstreamSimulator>(Tiers.Length);
        try
        {
            foreach (var tier in Tiers)
            {
                var options = new SimulatorOptions { StreamChunks = 8, ChunkDelay = TimeSpan.FromMilliseconds(25) };
                options.Models.Add(tier.Model);
                if (tier.Tier == "frontier") options.Models.Add(EmbeddingsModel);
                simulators.Add(await UpstreamSimulator.StartAsync(options, cancellationToken));
            }
        }
        catch
        {
            foreach (var started in simulators) await started.DisposeAsync();
            throw;
        }

        return new DemoUpstreams([.. simulators]);
    }

    /// <summary>Configuration keys that route the gateway to the simulators.</summary>
    public Dictionary<string, string?> Configuration() => Configuration(i => _simulators[i].ApiBase.ToString().TrimEnd('/'));

    /// <summary>
    /// The demo's configuration with upstreams that are never started (<c>http://demo-small.invalid/v1</c>,
    /// ...), for <c>--check-config --demo</c>: it checks what the demo would run without listening anywhere.
    /// </summary>
    public static Dictionary<string, string?> ConfigurationWithoutSimulators() => Configuration(i => $"http://demo-{Tiers[i].Tier}.invalid/v1");

    private static Dictionary<string, string?> Configuration(Func<int, string> baseUrl)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Tiers.Length; i++)
        {
            var (tier, model, input, output) = Tiers[i];
            var upstream = "demo-" + tier;
            values[$"RightSize:Upstreams:{upstream}:BaseUrl"] = baseUrl(i);
            values[$"RightSize:Tiers:{tier}:Upstream"] = upstream;
            values[$"RightSize:Tiers:{tier}:Model"] = model;
            values[$"RightSize:Tiers:{tier}:InputPerMTok"] = input.ToString(CultureInfo.InvariantCulture);
            values[$"RightSize:Tiers:{tier}:OutputPerMTok"] = output.ToString(CultureInfo.InvariantCulture);
        }

        // Tuned to the shipped model, whose probabilities for chat prompts sit in a narrow band (docs/classifier.md).
        values["RightSize:Routes:auto:Threshold"] = "0.65";
        values["RightSize:Routes:auto:MinConfidence"] = "0.5";
        values["RightSize:Routes:auto:Embeddings:Model"] = EmbeddingsModel;
        values["RightSize:Routes:support:PathPrefix"] = "/routes/support";
        values["RightSize:Routes:support:ClaimModels:0"] = "gpt-4o";
        values["RightSize:Routes:support:MaxTier"] = "mid";
        values["RightSize:Routes:premium:Tier"] = "frontier";
        values["RightSize:Routes:premium:AllowTierOverride"] = "false";
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var simulator in _simulators) await simulator.DisposeAsync();
    }
}
