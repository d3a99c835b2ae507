namespace RightSize.Features;

/// <summary>
/// The knobs of feature extraction. Every value enters the schema description, so any change
/// gives a different <see cref="FeatureSchema.Hash"/>. <see cref="Default"/> is what the shipped
/// model uses.
/// </summary>
public sealed record FeatureExtractorOptions
{
    /// <summary>The options of the shipped model.</summary>
    public static FeatureExtractorOptions Default { get; } = new();

    /// <summary>Bumped when extraction code changes in a way the options do not show.</summary>
    public int Version { get; init; } = 2;

    /// <summary>log2 of the number of hash buckets shared by all hashed blocks (at most 19).</summary>
    public int HashBits { get; init; } = 16;

    /// <summary>Smallest character n-gram (4 by default: 3- and 5-grams cost half the extraction time and added no measurable quality; see docs/classifier.md).</summary>
    public int CharNgramMin { get; init; } = 4;

    /// <summary>Largest character n-gram (at most 8).</summary>
    public int CharNgramMax { get; init; } = 4;

    /// <summary>Block weights, indexed by <see cref="FeatureBlock"/>: each block is L2-normalised, then scaled by its weight.</summary>
    public IReadOnlyList<float> BlockWeights { get; init; } = [1.0f, 1.0f, 0.5f, 0.5f];

    /// <summary>Characters of the last user message read for word n-grams: this many from the start...</summary>
    public int WordHeadChars { get; init; } = 12_288;

    /// <summary>...and this many from the end (when longer than head plus tail).</summary>
    public int WordTailChars { get; init; } = 4_096;

    /// <summary>Characters of the last user message read for character n-grams, from the start...</summary>
    public int CharHeadChars { get; init; } = 3_072;

    /// <summary>...and from the end.</summary>
    public int CharTailChars { get; init; } = 1_024;

    /// <summary>Characters of each system message read for word n-grams (head; the tail gets a quarter as much again).</summary>
    public int SystemChars { get; init; } = 2_048;

    /// <summary>System (and developer) messages read for system words, newest first; the rest are skipped, so that a request's cost stays bounded.</summary>
    public int SystemTurns { get; init; } = 2;

    /// <summary>Characters read from each earlier turn for history words (head; the tail gets half as much again).</summary>
    public int HistoryCharsPerTurn { get; init; } = 512;

    /// <summary>Earlier turns read for history words, newest first.</summary>
    public int HistoryTurns { get; init; } = 4;

    /// <summary>Characters of the last user message scanned for structural counts, from the start (the tail gets a quarter as much again).</summary>
    public int StructuralScanChars { get; init; } = 16_384;

    /// <summary>Longest word hashed; longer words hash their first this many characters.</summary>
    public int MaxWordChars { get; init; } = 32;
}
