using BenchmarkDotNet.Attributes;
using RightSize.Classification.Models;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.OpenAI.Chat;

namespace RightSize.Benchmarks;

/// <summary>
/// Prices cheaper feature option sets on the 2 KB prompt: features alone, and features plus
/// inference through the shipped model's graph. The shipped weights were trained on the default
/// schema, so the probabilities are meaningless for the other sets; the time depends only on the
/// work and on the number of unique features N (printed at set-up), which is what is measured.
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class FeatureOptionBenchmarks
{
    private readonly SparseFeatures _features = new();
    private readonly float[] _probabilities = new float[2];
    private FeatureExtractor _extractor = null!;
    private SparseOnnxSession _session = null!;
    private ChatPrompt _prompt = null!;

    [Params("char4-4 (default)", "char3-5", "char3-4", "char4-5", "char3-5-1024+512", "no-char")]
    public string Options { get; set; } = "char4-4 (default)";

    [GlobalSetup]
    public void Setup()
    {
        _extractor = new FeatureExtractor(Create(Options));
        var directory = BenchmarkModel.Locate(FeatureExtractor.Default, out _);
        _session = SparseOnnxSession.Open(Path.Combine(directory, ModelFiles.Model), _extractor.Schema.Dimension);
        _prompt = BenchmarkPrompts.Create(2 * 1024, seed: 7);
        _extractor.Extract(_prompt, _features);
        Console.WriteLine($"// options {Options}: N = {_features.Count} features");
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark]
    public int OptionFeatures()
    {
        _extractor.Extract(_prompt, _features);
        return _features.Count;
    }

    [Benchmark]
    public float OptionFeaturesAndInference()
    {
        _extractor.Extract(_prompt, _features);
        _session.Predict(_features.IndicesSpan, _features.ValuesSpan, _probabilities);
        return _probabilities[1];
    }

    /// <summary>The option sets by name; "no-char" reads no characters for character n-grams (there is no other switch).</summary>
    public static FeatureExtractorOptions Create(string name) => name switch
    {
        "char4-4 (default)" => FeatureExtractorOptions.Default,
        "char3-5" => FeatureExtractorOptions.Default with { CharNgramMin = 3, CharNgramMax = 5 },
        "char3-4" => FeatureExtractorOptions.Default with { CharNgramMin = 3, CharNgramMax = 4 },
        "char4-5" => FeatureExtractorOptions.Default with { CharNgramMin = 4, CharNgramMax = 5 },
        "char3-5-1024+512" => FeatureExtractorOptions.Default with { CharNgramMin = 3, CharNgramMax = 5, CharHeadChars = 1024, CharTailChars = 512 },
        "no-char" => FeatureExtractorOptions.Default with { CharHeadChars = 0, CharTailChars = 0 },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown option set."),
    };
}
