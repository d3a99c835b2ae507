using System.Collections.Frozen;

namespace RightSize.Upstream.Simulator.Handling;

/// <summary>An immutable snapshot of <see cref="SimulatorOptions"/> taken at start, read by every request.</summary>
internal sealed class SimulatorSettings
{
    public SimulatorSettings(SimulatorOptions options)
    {
        ModelList = [.. options.Models.Distinct(StringComparer.Ordinal)];
        Models = ModelList.ToFrozenSet(StringComparer.Ordinal);
        StreamChunks = options.StreamChunks;
        ChunkDelay = options.ChunkDelay;
        ResponseDelay = options.ResponseDelay;
        RequiredAuthorization = string.IsNullOrEmpty(options.RequiredApiKey) ? null : "Bearer " + options.RequiredApiKey;
    }

    public IReadOnlyList<string> ModelList { get; }

    public FrozenSet<string> Models { get; }

    public int StreamChunks { get; }

    public TimeSpan ChunkDelay { get; }

    public TimeSpan ResponseDelay { get; }

    public string? RequiredAuthorization { get; }

    public bool Serves(string model) => Models.Count == 0 || Models.Contains(model);
}
