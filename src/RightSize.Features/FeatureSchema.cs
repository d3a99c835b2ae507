namespace RightSize.Features;

/// <summary>
/// Identifies a feature space: its version, its size and a hash of everything that decides
/// which index a feature lands on and what value it takes: the options, and the indices the
/// extractor gives a fixed set of probe prompts (so that edges written in code count too). A model records the schema it was
/// trained with; the gateway refuses a model whose <see cref="Hash"/> differs from its own.
/// </summary>
/// <param name="Version">Bumped whenever extraction changes in a way neither the description nor the probes show (a value's scale).</param>
/// <param name="Dimension">Size of the index space: reserved structural slots plus hashed buckets.</param>
/// <param name="Hash">Lower-case hex SHA-256 of <see cref="Description"/>.</param>
/// <param name="Description">The canonical text description of every feature, seed, cap and weight.</param>
/// <param name="PreProbeHash">
/// For schema v2, the hash the same extraction had before the probe digest joined the description
/// (2026-12-01): a v2 model trained before then reads exactly these features, so it is still
/// accepted. Null for every other version.
/// </param>
public sealed record FeatureSchema(int Version, int Dimension, string Hash, string Description, string? PreProbeHash = null)
{
    /// <summary>Whether a model that records <paramref name="hash"/> was trained on this feature space.</summary>
    public bool Accepts(string hash) =>
        string.Equals(hash, Hash, StringComparison.OrdinalIgnoreCase)
        || (PreProbeHash is not null && string.Equals(hash, PreProbeHash, StringComparison.OrdinalIgnoreCase));
}
