using BenchmarkDotNet.Attributes;
using RightSize.Classification;
using RightSize.Classification.Models;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.OpenAI.Chat;

namespace RightSize.Benchmarks;

/// <summary>
/// Features plus ONNX Runtime inference through <see cref="OnnxDifficultyClassifier.Predict"/>
/// (the gateway's path), and inference alone on precomputed features, for a 2 KB and a 200 KB
/// prompt. <c>shipped</c> is <c>models/default</c> as committed; <c>exporter</c> is a random linear
/// model of the same input dimension written by the current <c>OnnxModelExporter</c>;
/// <c>logistic</c> a random model of the shape <c>rightsize train --logistic</c> writes.
/// </summary>
[Config(typeof(InProcessShortConfig))]
public class ClassifierBenchmarks
{
    private readonly FeatureExtractor _extractor = FeatureExtractor.Default;
    private readonly SparseFeatures _features = new();
    private readonly float[] _probabilities = new float[2];
    private OnnxDifficultyClassifier _classifier = null!;
    private SparseOnnxSession _session = null!;
    private ChatPrompt _prompt = null!;

    [Params("shipped", "exporter", "logistic")]
    public string Model { get; set; } = "shipped";

    [Params(2 * 1024, 200 * 1024)]
    public int PromptChars { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var directory = Model switch
        {
            "shipped" => BenchmarkModel.Locate(_extractor, out _),
            "logistic" => BenchmarkModel.WriteRandomLogisticShape(_extractor),
            _ => BenchmarkModel.WriteRandom(_extractor),
        };
        var modelPath = Path.Combine(directory, ModelFiles.Model);
        Console.WriteLine($"// model {Model}: {directory}, model.onnx {new FileInfo(modelPath).Length} bytes");
        _classifier = OnnxDifficultyClassifier.Load(directory, _extractor);
        _session = SparseOnnxSession.Open(modelPath, _extractor.Schema.Dimension);
        _prompt = BenchmarkPrompts.Create(PromptChars, seed: 7);
        _extractor.Extract(_prompt, _features);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _classifier.Dispose();
        _session.Dispose();
    }

    [Benchmark]
    public TierProbabilities FeaturesAndInference() => _classifier.Predict(_prompt);

    [Benchmark]
    public float InferenceOnly()
    {
        _session.Predict(_features.IndicesSpan, _features.ValuesSpan, _probabilities);
        return _probabilities[1];
    }
}
