using RightSize.OpenAI.Chat;

namespace RightSize.Features.Tests;

public class FeatureSchemaTests
{
    // Changes when anything in the schema description or the probes' feature indices changes. If
    // this fails on purpose, retrain the default model and update the literal; bump
    // FeatureExtractorOptions.Version too when the features themselves changed.
    private const string DefaultHash = "87950a4998f37702071165435c3bae9ee887cf01ee22ce9bdfe62571a9b8e163";

    // The v2 hash before the probe digest joined the description; models that record it still load.
    private const string DefaultPreProbeHash = "2218fc60528fabddd1ad7ef896605af572c1300c53e32fddb671a3ddbcff0035";

    private const long Fingerprint = 9008109595589644944L;

    [Fact]
    public void Default_Schema_MatchesGoldenHash()
    {
        var actual = FeatureExtractor.Default.Schema.Hash;
        Assert.True(actual == DefaultHash, $"schema hash is {actual}");
    }

    [Fact]
    public void Default_Schema_AcceptsTheHashOfTheSameFeaturesBeforeTheProbes()
    {
        var schema = FeatureExtractor.Default.Schema;
        Assert.Equal(DefaultPreProbeHash, schema.PreProbeHash);
        Assert.True(schema.Accepts(DefaultPreProbeHash));
        Assert.True(schema.Accepts(DefaultHash.ToUpperInvariant()));
        Assert.False(schema.Accepts("0badc0ffee"));
    }

    [Fact]
    public void Schema_OtherVersion_HasNoPreProbeHash() =>
        Assert.Null(new FeatureExtractor(FeatureExtractorOptions.Default with { Version = 3 }).Schema.PreProbeHash);

    [Fact]
    public void Default_Schema_DimensionIsReservedPlusBuckets()
    {
        var schema = FeatureExtractor.Default.Schema;
        Assert.Equal(FeatureExtractor.ReservedSlots + (1 << FeatureExtractorOptions.Default.HashBits), schema.Dimension);
        Assert.True((int)StructuralSlot.Count <= FeatureExtractor.ReservedSlots);
        Assert.Equal(64, schema.Hash.Length);
    }

    /// <summary>One changed value per option; <see cref="Schema_EveryOption_HasAChangeCase"/> keeps the list complete.</summary>
    private static readonly Dictionary<string, FeatureExtractorOptions> OneOptionChanged = new()
    {
        [nameof(FeatureExtractorOptions.Version)] = FeatureExtractorOptions.Default with { Version = 99 },
        [nameof(FeatureExtractorOptions.HashBits)] = FeatureExtractorOptions.Default with { HashBits = 17 },
        [nameof(FeatureExtractorOptions.CharNgramMin)] = FeatureExtractorOptions.Default with { CharNgramMin = 3 },
        [nameof(FeatureExtractorOptions.CharNgramMax)] = FeatureExtractorOptions.Default with { CharNgramMax = 5 },
        [nameof(FeatureExtractorOptions.BlockWeights)] = FeatureExtractorOptions.Default with { BlockWeights = [1f, 1f, 0.5f, 0.25f] },
        [nameof(FeatureExtractorOptions.WordHeadChars)] = FeatureExtractorOptions.Default with { WordHeadChars = 12_289 },
        [nameof(FeatureExtractorOptions.WordTailChars)] = FeatureExtractorOptions.Default with { WordTailChars = 4_097 },
        [nameof(FeatureExtractorOptions.CharHeadChars)] = FeatureExtractorOptions.Default with { CharHeadChars = 3_073 },
        [nameof(FeatureExtractorOptions.CharTailChars)] = FeatureExtractorOptions.Default with { CharTailChars = 1_025 },
        [nameof(FeatureExtractorOptions.SystemChars)] = FeatureExtractorOptions.Default with { SystemChars = 4_097 },
        [nameof(FeatureExtractorOptions.SystemTurns)] = FeatureExtractorOptions.Default with { SystemTurns = 5 },
        [nameof(FeatureExtractorOptions.HistoryCharsPerTurn)] = FeatureExtractorOptions.Default with { HistoryCharsPerTurn = 1_025 },
        [nameof(FeatureExtractorOptions.HistoryTurns)] = FeatureExtractorOptions.Default with { HistoryTurns = 9 },
        [nameof(FeatureExtractorOptions.StructuralScanChars)] = FeatureExtractorOptions.Default with { StructuralScanChars = 16_385 },
        [nameof(FeatureExtractorOptions.MaxWordChars)] = FeatureExtractorOptions.Default with { MaxWordChars = 33 },
    };

    public static TheoryData<string> OptionNames => [.. OneOptionChanged.Keys];

    [Theory]
    [MemberData(nameof(OptionNames))]
    public void Schema_OneOptionChanged_ChangesHashAndOnlyThatChangesIt(string option)
    {
        var changed = new FeatureExtractor(OneOptionChanged[option]).Schema.Hash;
        Assert.NotEqual(FeatureExtractor.Default.Schema.Hash, changed);
        Assert.Equal(changed, new FeatureExtractor(OneOptionChanged[option] with { }).Schema.Hash);
        var others = OneOptionChanged.Where(o => o.Key != option).Select(o => new FeatureExtractor(o.Value).Schema.Hash);
        Assert.DoesNotContain(changed, others);
    }

    [Fact]
    public void Schema_EveryOption_HasAChangeCase()
    {
        var options = typeof(FeatureExtractorOptions).GetProperties()
            .Where(p => p.CanWrite && p.GetMethod?.IsStatic == false && p.Name != "EqualityContract")
            .Select(p => p.Name);
        Assert.Equal(options.Order(), OneOptionChanged.Keys.Order());
    }

    [Fact]
    public void Schema_EqualOptionsBuiltApart_SameHash()
    {
        var rebuilt = new FeatureExtractorOptions { BlockWeights = [.. FeatureExtractorOptions.Default.BlockWeights] };
        Assert.Equal(FeatureExtractor.Default.Schema.Hash, new FeatureExtractor(rebuilt).Schema.Hash);
        Assert.Equal(FeatureExtractor.Default.Schema.Description, new FeatureExtractor(rebuilt).Schema.Description);
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
