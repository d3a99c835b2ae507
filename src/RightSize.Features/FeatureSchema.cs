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
public sealed record FeatureSchema(int Version, int Dimension, string Hash, string Description);
