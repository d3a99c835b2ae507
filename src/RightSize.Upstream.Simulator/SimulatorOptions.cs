using RightSize.Upstream.Simulator.Faults;

namespace RightSize.Upstream.Simulator;

/// <summary>
/// What the simulator serves and how it behaves. Bound from the <c>Simulator</c> configuration
/// section by the standalone host; built in code by tests and by the gateway's demo.
/// </summary>
public sealed class SimulatorOptions
{
    /// <summary>
    /// Where <see cref="UpstreamSimulator.StartAsync(SimulatorOptions, CancellationToken)"/> listens
    /// (default <c>http://127.0.0.1:0</c>, an ephemeral loopback port). The standalone host uses
    /// <c>--urls</c> instead.
    /// </summary>
    public Uri Url { get; set; } = SimulatorConstants.DefaultUrl;

    /// <summary>
    /// The model names served. A request for any other model gets an OpenAI-shaped 404
    /// <c>model_not_found</c>. When empty, every model name is accepted.
    /// </summary>
    public IList<string> Models { get; } = [];

    /// <summary>The number of content deltas in a streamed answer (default 8).</summary>
    public int StreamChunks { get; set; } = SimulatorConstants.DefaultStreamChunks;

    /// <summary>The pause between streamed chunks (default none). A <c>drip</c> fault overrides it.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>The pause before response headers of every answer (default none); a <c>delay</c> fault adds to it.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>
    /// When set, a request whose <c>Authorization</c> header is not <c>Bearer {RequiredApiKey}</c>
    /// gets an OpenAI-shaped 401 <c>invalid_api_key</c>.
    /// </summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>
    /// Fault scripts per model name, applied to every request for that model unless the request
    /// carries an <c>x-simulator-fault</c> header (the header wins). See <see cref="FaultScript"/>.
    /// </summary>
    public IDictionary<string, FaultScript> Faults { get; } = new Dictionary<string, FaultScript>(StringComparer.Ordinal);

    /// <summary>How many requests the journal keeps, oldest dropped first (default 1000; 0 keeps none).</summary>
    public int MaxRecordedRequests { get; set; } = SimulatorConstants.DefaultMaxRecordedRequests;
}
