using RightSize.OpenAI.Chat;

namespace RightSize.Features.Tests;

public class FeatureSchemaTests
{
    // Changes when anything in the schema description changes. If this fails on purpose, bump
    // FeatureExtractorOptions.Version, retrain the default model and update the literal.
    private const string DefaultHash = "c67b0276fa49f2ea0b2efe80aee559f7fae764cf63181df2e7554ef9314057ba";

    private const long Fingerprint = 9008109595589644944L;

    [Fact]
    public void Default_Schema_MatchesGoldenHash()
    {
        var actual = FeatureExtractor.Default.Schema.Hash;
        Assert.True(actual == DefaultHash, $"schema hash is {actual}");
    }

    [Fact]
    public void Default_Schema_DimensionIsReservedPlusBuckets()
    {
        var schema = FeatureExtractor.Default.Schema;
        Assert.Equal(FeatureExtractor.ReservedSlots + (1 << FeatureExtractorOptions.Default.HashBits), schema.Dimension);
        Assert.True((int)StructuralSlot.Count <= FeatureExtractor.ReservedSlots);
        Assert.Equal(64, schema.Hash.Length);
    }

    [Fact]
    public void Schema_AnyOptionChange_ChangesHash()
    {
        var baseHash = FeatureExtractor.Default.Schema.Hash;
        Assert.NotEqual(baseHash, new FeatureExtractor(FeatureExtractorOptions.Default with { HashBits = 17 }).Schema.Hash);
        Assert.NotEqual(baseHash, new FeatureExtractor(FeatureExtractorOptions.Default with { CharNgramMax = 5 }).Schema.Hash);
        Assert.NotEqual(baseHash, new FeatureExtractor(FeatureExtractorOptions.Default with { Version = 99 }).Schema.Hash);
        Assert.NotEqual(baseHash, new FeatureExtractor(FeatureExtractorOptions.Default with { BlockWeights = [1f, 1f, 0.5f, 0.25f] }).Schema.Hash);
        Assert.Equal(baseHash, new FeatureExtractor(FeatureExtractorOptions.Default with { }).Schema.Hash);
    }

    [Fact]
    public void Extract_GoldenPrompt_MatchesFingerprint()
    {
        // A fingerprint of the output for one fixed prompt: catches extraction changes that the
        // schema description cannot see (then bump Version).
        var prompt = new ChatPrompt([new ChatTurn("system", "Be exact."), new ChatTurn("user", "Solve x^2 = 4 step by step.\nA. 2\nB. -2")], 1, "text", 64);
        var f = new SparseFeatures();
        FeatureExtractor.Default.Extract(prompt, f);
        var h = 17L;
        for (var i = 0; i < f.Count; i++) h = unchecked((h * 31) + f.IndicesSpan[i] + (long)MathF.Round(f.ValuesSpan[i] * 1e4f));
        Assert.True(h == Fingerprint, $"fingerprint is {h}");
    }
}
