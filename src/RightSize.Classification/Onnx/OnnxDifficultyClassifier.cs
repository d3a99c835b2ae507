using RightSize.Classification.Models;
using RightSize.Features;
using RightSize.OpenAI.Chat;

namespace RightSize.Classification.Onnx;

/// <summary>
/// The production classifier: features from the shared <see cref="FeatureExtractor"/>, then one
/// ONNX Runtime session per model. Thread-safe; each call borrows a pooled feature buffer, whose
/// indices and values the session pins for the call and reads in place, and the session's pooled,
/// pinned output buffer. Timing is left to the caller (the gateway measures the decision time
/// around <see cref="Predict"/>).
/// </summary>
public sealed partial class OnnxDifficultyClassifier : IDifficultyClassifier, IDisposable
{
    private readonly FeatureExtractor _extractor;
    private readonly SparseOnnxSession _session;
    private readonly SlotPool<SparseFeatures> _features;

    private OnnxDifficultyClassifier(string directory, string modelPath, ModelManifest manifest, FeatureExtractor extractor, SparseOnnxSession session, string modelSha256)
    {
        Directory = directory;
        Manifest = manifest;
        _extractor = extractor;
        _session = session;
        _features = new SlotPool<SparseFeatures>(static () => new SparseFeatures(), Environment.ProcessorCount * 2);
        Model = new ClassifierModelInfo(System.IO.Path.GetFileName(directory.TrimEnd(System.IO.Path.DirectorySeparatorChar)), modelPath, manifest.FeatureSchema.Hash)
        {
            CreatedAt = manifest.CreatedAt,
            DataHash = manifest.DataHash,
            ModelSha256 = modelSha256,
        };
    }

    public ClassifierModelInfo Model { get; }

    /// <summary>The model directory.</summary>
    public string Directory { get; }

    /// <summary>The manifest the model was loaded with.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>Scores one prompt: features, then the model.</summary>
    public TierProbabilities Predict(ChatPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        Span<float> p = stackalloc float[2];
        var features = _features.Rent();
        try
        {
            _extractor.Extract(prompt, features);
            _session.Predict(features.IndicesSpan, features.ValuesSpan, p);
        }
        finally
        {
            _features.Return(features);
        }

        return new TierProbabilities(p[0], p[1]);
    }

    /// <summary>
    /// Replays the directory's <c>golden.jsonl</c> through <see cref="Predict"/> (the production
    /// path, features included) and reports the largest deviation from the trainer's figures.
    /// A model without <c>golden.jsonl</c> (a dropped-in model) gives a count of 0.
    /// </summary>
    public GoldenVerification VerifyGoldenVectors()
    {
        var path = System.IO.Path.Combine(Directory, ModelFiles.GoldenVectors);
        return File.Exists(path) ? VerifyGoldenVectors(GoldenVectors.Read(path)) : new GoldenVerification(0, 0, -1);
    }

    /// <summary>Replays the given vectors through <see cref="Predict"/>.</summary>
    /// <exception cref="ClassifierModelException">ONNX Runtime fails on a vector.</exception>
    public GoldenVerification VerifyGoldenVectors(IReadOnlyList<GoldenVector> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var max = 0.0;
        var worst = -1;
        for (var i = 0; i < vectors.Count; i++)
        {
            TierProbabilities p;
            try
            {
                p = Predict(vectors[i].ToPrompt());
            }
            catch (Microsoft.ML.OnnxRuntime.OnnxRuntimeException ex)
            {
                throw new ClassifierModelException($"The model in '{Directory}' fails on its golden vector {i + 1}: {ex.Message}", ex);
            }

            var deviation = Math.Max(Deviation(vectors[i].P[0], p.Small), Deviation(vectors[i].P[1], p.Mid));
            if (worst < 0 || deviation > max)
            {
                max = deviation;
                worst = i;
            }
        }

        return new GoldenVerification(vectors.Count, max, worst);
    }

    private static double Deviation(float expected, float actual)
    {
        if (float.IsNaN(expected) && float.IsNaN(actual)) return 0;
        var deviation = Math.Abs((double)expected - actual);
        return double.IsNaN(deviation) ? double.PositiveInfinity : deviation;
    }

    public void Dispose()
    {
        _session.Dispose();
        _features.Dispose();
    }
}
