using RightSize.OpenAI.Chat;

namespace RightSize.Features.Tests;

/// <summary>
/// The schema hash digests the feature indices of fixed probe prompts, so that code the schema
/// description cannot name still moves the hash. These tests keep the probes worth digesting.
/// </summary>
public class SchemaProbeTests
{
    [Fact]
    public void Probes_SetEveryStructuralSlotSomewhere()
    {
        var seen = new HashSet<long>();
        var features = new SparseFeatures();
        foreach (var prompt in SchemaProbes.Prompts())
        {
            FeatureExtractor.Default.Extract(prompt, features);
            foreach (var index in features.IndicesSpan)
            {
                if (index < (long)StructuralSlot.Count) seen.Add(index);
            }
        }

        var unset = Enum.GetValues<StructuralSlot>().Where(s => s != StructuralSlot.Count && !seen.Contains((long)s));
        Assert.Empty(unset);
    }

    [Fact]
    public void Probes_ReachEveryCapOfTheLastUserMessage()
    {
        var o = FeatureExtractorOptions.Default;
        var longest = SchemaProbes.Prompts().Max(p => p.Turns.Count > 0 ? p.Turns[^1].Text?.Length ?? 0 : 0);
        Assert.True(longest > o.WordHeadChars + o.WordTailChars, $"longest probe {longest}");
        Assert.True(longest > o.StructuralScanChars + (o.StructuralScanChars / 4), $"longest probe {longest}");
    }

    [Fact]
    public void Digest_IsTheSameForEqualExtractorsAndMovesWithTheFeatureSpace()
    {
        var digest = SchemaProbes.Digest(FeatureExtractor.Default);
        Assert.Equal(digest, SchemaProbes.Digest(new FeatureExtractor(FeatureExtractorOptions.Default with { })));
        Assert.NotEqual(digest, SchemaProbes.Digest(new FeatureExtractor(FeatureExtractorOptions.Default with { HashBits = 17 })));
        Assert.Contains("probes=sha256:" + digest, FeatureExtractor.Default.Schema.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_DoesNotDependOnValues()
    {
        // Block weights change every hashed value but no index: the digest (indices only, the same
        // on every CPU) stays, and the description's weight line is what moves the hash.
        var reweighted = FeatureExtractorOptions.Default with { BlockWeights = [2f, 2f, 1f, 1f] };
        Assert.Equal(SchemaProbes.Digest(FeatureExtractor.Default), SchemaProbes.Digest(new FeatureExtractor(reweighted)));
        Assert.NotEqual(FeatureExtractor.Default.Schema.Hash, new FeatureExtractor(reweighted).Schema.Hash);
    }
}
