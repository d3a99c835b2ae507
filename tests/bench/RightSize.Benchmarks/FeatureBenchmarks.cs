using BenchmarkDotNet.Attributes;
using RightSize.Features;
using RightSize.OpenAI.Chat;

namespace RightSize.Benchmarks;

/// <summary>Feature extraction alone, as the gateway runs it (one reused <see cref="SparseFeatures"/>).</summary>
[Config(typeof(InProcessShortConfig))]
public class FeatureBenchmarks
{
    private readonly FeatureExtractor _extractor = FeatureExtractor.Default;
    private readonly SparseFeatures _features = new();
    private ChatPrompt _prompt = null!;

    [Params(2 * 1024, 200 * 1024)]
    public int PromptChars { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _prompt = BenchmarkPrompts.Create(PromptChars, seed: 7);
        _extractor.Extract(_prompt, _features);
        Console.WriteLine($"// prompt {PromptChars} chars -> {_features.Count} features");
    }

    [Benchmark]
    public int Features()
    {
        _extractor.Extract(_prompt, _features);
        return _features.Count;
    }
}
