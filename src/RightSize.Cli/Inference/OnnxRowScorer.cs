using RightSize.Classification;
using RightSize.Classification.Models;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Evaluation;

namespace RightSize.Cli.Inference;

/// <summary>
/// Scores rows through the production path: the manifest check, the shared feature extractor
/// and ONNX Runtime (<see cref="SparseOnnxSession"/>), exactly as the gateway does.
/// </summary>
public sealed class OnnxRowScorer : IDisposable
{
    private readonly SparseOnnxSession _session;
    private readonly FeatureExtractor _extractor;
    private readonly string _modelPath;

    private OnnxRowScorer(SparseOnnxSession session, FeatureExtractor extractor, ModelManifest manifest, string modelPath)
    {
        _session = session;
        _extractor = extractor;
        _modelPath = modelPath;
        Manifest = manifest;
    }

    public ModelManifest Manifest { get; }

    /// <summary>
    /// Opens a model directory; refuses, with a one-line <see cref="ClassifierModelException"/>
    /// naming the manifest, what the gateway refuses: another manifest format, labels other than
    /// the contract's [small, mid], or a feature schema (version, hash, dimension) not the extractor's.
    /// </summary>
    public static OnnxRowScorer Open(string directory, FeatureExtractor extractor)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(extractor);
        if (!Directory.Exists(directory)) throw new ClassifierModelException($"{directory}: model directory not found");
        var manifestPath = Path.Combine(directory, ModelFiles.Manifest);
        var manifest = ModelManifest.Read(manifestPath);
        manifest.CheckUsableWith(extractor.Schema, manifestPath);
        var modelPath = Path.Combine(directory, ModelFiles.Model);
        var session = SparseOnnxSession.Open(modelPath, manifest.Input.Dimension, manifest.Input.Indices, manifest.Input.Values, manifest.Output);
        return new OnnxRowScorer(session, extractor, manifest, modelPath);
    }

    /// <summary>[p_small, p_mid] per row, in order.</summary>
    public float[][] Score(IReadOnlyList<RoutingRow> rows, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new float[rows.Count][];
        var done = 0;
        Parallel.For(
            0,
            rows.Count,
            () => new SparseFeatures(),
            (i, _, buffer) =>
            {
                _extractor.Extract(rows[i].Prompt, buffer);
                var p = new float[2];
                _session.Predict(buffer.IndicesSpan, buffer.ValuesSpan, p);
                result[i] = p;
                var now = Interlocked.Increment(ref done);
                if (now % 256 == 0) progress?.Report(now);
                return buffer;
            },
            static _ => { });
        progress?.Report(rows.Count);
        ProbabilityCheck.Ensure(result, rows, _modelPath);
        return result;
    }

    public void Dispose() => _session.Dispose();
}
