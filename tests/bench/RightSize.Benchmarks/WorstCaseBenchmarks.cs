using BenchmarkDotNet.Attributes;
using RightSize.Classification;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.OpenAI.Chat;

namespace RightSize.Benchmarks;

/// <summary>
/// Features plus inference with the shipped model on prompts built to be expensive: random
/// printable ASCII or symbols outside ASCII, where nearly every word and character 4-gram is distinct,
/// and random maths symbols, the structural scan's slowest text, against the
/// 2 KB prose prompt of <see cref="ClassifierBenchmarks"/> as the reference in the same run.
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class WorstCaseBenchmarks
{
    private readonly FeatureExtractor _extractor = FeatureExtractor.Default;
    private OnnxDifficultyClassifier _classifier = null!;
    private ChatPrompt _prompt = null!;

    [Params("prose-2KB", "random-user-20KB", "random-every-cap", "symbols-every-cap", "maths-every-cap")]
    public string Prompt { get; set; } = "prose-2KB";

    [GlobalSetup]
    public void Setup()
    {
        _classifier = OnnxDifficultyClassifier.Load(BenchmarkModel.Locate(_extractor, out _), _extractor);
        _prompt = Prompt switch
        {
            "random-user-20KB" => BenchmarkPrompts.RandomUserText(20 * 1024, seed: 5),
            "random-every-cap" => BenchmarkPrompts.FillingEveryCap(seed: 5),
            "symbols-every-cap" => BenchmarkPrompts.FillingEveryCap(seed: 5, BenchmarkPrompts.Symbols),
            "maths-every-cap" => BenchmarkPrompts.FillingEveryCap(seed: 5, BenchmarkPrompts.MathsSymbols),
            _ => BenchmarkPrompts.Create(2 * 1024, seed: 7),
        };
        var features = new SparseFeatures();
        _extractor.Extract(_prompt, features);
        Console.WriteLine($"// prompt {Prompt}: {_prompt.Turns.Sum(t => t.Text.Length)} characters, {features.Count} distinct features");
    }

    [GlobalCleanup]
    public void Cleanup() => _classifier.Dispose();

    [Benchmark]
    public TierProbabilities FeaturesAndInference() => _classifier.Predict(_prompt);
}
