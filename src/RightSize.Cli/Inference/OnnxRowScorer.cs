using System.Globalization;
using RightSize.Classification;
using RightSize.Classification.Models;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.Training.Data;

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
        CheckManifest(manifest, manifestPath, extractor.Schema);
        var modelPath = Path.Combine(directory, ModelFiles.Model);
        var session = SparseOnnxSession.Open(modelPath, manifest.Input.Dimension, manifest.Input.Indices, manifest.Input.Values, manifest.Output);
        return new OnnxRowScorer(session, extractor, manifest, modelPath);
    }

    /// <summary>
    /// The gateway's rules (OnnxDifficultyClassifier.CheckManifest, which is private to it), plus
    /// the null checks a hand-edited manifest needs. Keep the two in step.
    /// </summary>
    private static void CheckManifest(ModelManifest manifest, string path, FeatureSchema schema)
    {
        if (manifest.Format != ModelManifest.CurrentFormat)
        {
            throw new ClassifierModelException($"{path}: manifest format {manifest.Format}; rightsize reads format {ModelManifest.CurrentFormat}. Retrain the model with this version of rightsize");
        }

        if (manifest.Labels is null || !manifest.Labels.SequenceEqual(ModelManifest.ContractLabels, StringComparer.Ordinal))
        {
            var labels = manifest.Labels is null ? "none" : string.Join(", ", manifest.Labels);
            throw new ClassifierModelException($"{path}: labels [{labels}]; the contract's output order is [{string.Join(", ", ModelManifest.ContractLabels)}]");
        }

        if (manifest.FeatureSchema is null) throw new ClassifierModelException($"{path}: 'featureSchema' is missing; retrain the model with this version of rightsize");
        if (manifest.Input is null) throw new ClassifierModelException($"{path}: 'input' is missing; it names the model's indices and values inputs and their dimension");
        if (string.IsNullOrEmpty(manifest.Input.Indices) || string.IsNullOrEmpty(manifest.Input.Values))
        {
            throw new ClassifierModelException($"{path}: 'input' must name the model's 'indices' and 'values' inputs");
        }

        if (string.IsNullOrEmpty(manifest.Output)) throw new ClassifierModelException($"{path}: 'output' must name the model's output");
        var model = manifest.FeatureSchema;
        if (!string.Equals(model.Hash, schema.Hash, StringComparison.OrdinalIgnoreCase) || model.Version != schema.Version || manifest.Input.Dimension != schema.Dimension)
        {
            throw new ClassifierModelException(
                $"{path}: feature schema v{model.Version} hash {(string.IsNullOrEmpty(model.Hash) ? "missing" : model.Hash)} dimension {manifest.Input.Dimension} does not match this build's v{schema.Version} hash {schema.Hash} dimension {schema.Dimension}; retrain the model with this version of rightsize");
        }
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
        CheckProbabilities(result, rows);
        return result;
    }

    /// <summary>A model (a dropped-in one, or one trained into NaN) may give anything; what follows needs probabilities.</summary>
    private void CheckProbabilities(float[][] probabilities, IReadOnlyList<RoutingRow> rows)
    {
        for (var i = 0; i < probabilities.Length; i++)
        {
            for (var k = 0; k < probabilities[i].Length; k++)
            {
                var p = probabilities[i][k];
                if (p is >= 0 and <= 1) continue;
                var row = rows[i];
                var where = row.File is null ? $"row {i + 1}" : $"{row.File}:{row.Line}";
                throw new ClassifierModelException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{_modelPath}: p_{ModelManifest.ContractLabels[k]} is {p} for {where} (id {row.Id}); a probability must be between 0 and 1"));
            }
        }
    }

    public void Dispose() => _session.Dispose();
}
