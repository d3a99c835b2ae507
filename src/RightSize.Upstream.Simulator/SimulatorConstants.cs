namespace RightSize.Upstream.Simulator;

/// <summary>Defaults and fixed names of the upstream simulator.</summary>
public static class SimulatorConstants
{
    /// <summary>The configuration section the standalone host binds (<c>Simulator</c>).</summary>
    public const string SectionName = "Simulator";

    /// <summary>The response header that names each call, <c>req_</c> and 32 hex digits, as OpenAI's does.</summary>
    public const string RequestIdHeader = "x-request-id";

    /// <summary>The request header that selects a fault script for one request.</summary>
    public const string FaultHeader = "x-simulator-fault";

    /// <summary>The header value that disables a model's configured fault for one request.</summary>
    public const string NoFault = "none";

    /// <summary>The default number of content deltas in a streamed answer.</summary>
    public const int DefaultStreamChunks = 8;

    /// <summary>The default number of requests the journal keeps.</summary>
    public const int DefaultMaxRecordedRequests = 1000;

    /// <summary>The longest content echo taken from the prompt, in characters.</summary>
    public const int MaxEchoLength = 64;

    /// <summary>The default embedding vector length.</summary>
    public const int DefaultEmbeddingDimensions = 8;

    /// <summary>
    /// The longest pause the simulator takes anywhere (<see cref="SimulatorOptions.ResponseDelay"/>,
    /// <see cref="SimulatorOptions.ChunkDelay"/>, a fault's <c>delay</c> and <c>drip</c>): 24 hours,
    /// well inside what <see cref="Task.Delay(TimeSpan)"/> accepts even when two of them add up.
    /// </summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(24);

    /// <summary>The largest embedding vector length the simulator produces.</summary>
    public const int MaxEmbeddingDimensions = 4096;

    /// <summary>The <c>owned_by</c> value of listed models.</summary>
    public const string OwnedBy = "rightsize-simulator";

    /// <summary>The <c>system_fingerprint</c> of every answer.</summary>
    public const string SystemFingerprint = "fp_rightsize_sim";

    /// <summary>The default listen address of <see cref="UpstreamSimulator"/>: loopback, ephemeral port.</summary>
    public static Uri DefaultUrl { get; } = new("http://127.0.0.1:0");
}
