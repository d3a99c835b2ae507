using System.Globalization;
using RightSize.Classification;
using RightSize.Classification.Models;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Evaluation;

namespace RightSize.Cli.Inference;

/// <summary>
/// Scores rows through the gateway's own classifier (<see cref="OnnxDifficultyClassifier"/>: the
/// manifest check, the shared feature extractor, ONNX Runtime), after the check the gateway runs
/// at start-up: the model must reproduce its own golden vectors.
/// </summary>
public sealed class OnnxRowScorer : IDisposable
{
    private readonly OnnxDifficultyClassifier _classifier;

    private OnnxRowScorer(OnnxDifficultyClassifier classifier) => _classifier = classifier;

    public ModelManifest Manifest => _classifier.Manifest;

    /// <summary>
    /// Opens a model directory, or the directory of a given <c>model.onnx</c> path as the gateway's
    /// <c>Classifier:ModelPath</c> does; refuses, with a one-line <see cref="ClassifierModelException"/>
    /// naming the file, what the gateway refuses: another manifest format, labels other than the
    /// contract's [small, mid], a feature schema (version, hash, dimension) not the extractor's, a
    /// graph that breaks the contract, or one that disagrees with its <c>golden.jsonl</c> (a model
    /// without one, dropped in from elsewhere, is not checked, as in the gateway).
    /// </summary>
    public static OnnxRowScorer Open(string directory, FeatureExtractor extractor)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(extractor);

        // The gateway's ModelPath takes a model.onnx path too (its directory holds the rest).
        if (!Directory.Exists(directory) && !File.Exists(directory))
        {
            throw new ClassifierModelException(Path.GetExtension(directory).Equals(".onnx", StringComparison.OrdinalIgnoreCase)
                ? $"{directory}: model file not found"
                : $"{directory}: model directory not found");
        }

        return new OnnxRowScorer(OnnxDifficultyClassifier.LoadVerified(directory, extractor));
    }

    /// <summary>[p_small, p_mid] per row, in order.</summary>
    public float[][] Score(IReadOnlyList<RoutingRow> rows, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new float[rows.Count][];
        var done = 0;
        Parallel.For(0, rows.Count, i =>
        {
            var p = _classifier.Predict(rows[i].Prompt);
            result[i] = [p.Small, p.Mid];
            var now = Interlocked.Increment(ref done);
            if (now % 256 == 0) progress?.Report(now);
        });
        progress?.Report(rows.Count);
        ProbabilityCheck.Ensure(result, rows, _classifier.Model.Path);
        return result;
    }

    public void Dispose() => _classifier.Dispose();
}
