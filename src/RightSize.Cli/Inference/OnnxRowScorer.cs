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

    private OnnxRowScorer(SparseOnnxSession session, FeatureExtractor extractor, ModelManifest manifest)
    {
        _session = session;
        _extractor = extractor;
        Manifest = manifest;
    }

    public ModelManifest Manifest { get; }

    /// <summary>Opens a model directory; refuses a manifest whose feature schema is not the extractor's.</summary>
    public static OnnxRowScorer Open(string directory, FeatureExtractor extractor)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(extractor);
        if (!Directory.Exists(directory)) throw new ClassifierModelException($"{directory}: model directory not found");
        var manifest = ReadManifest(Path.Combine(directory, ModelFiles.Manifest));
        var schema = extractor.Schema;
        if (!string.Equals(manifest.FeatureSchema.Hash, schema.Hash, StringComparison.OrdinalIgnoreCase) || manifest.FeatureSchema.Version != schema.Version)
        {
            throw new ClassifierModelException(
                $"{Path.Combine(directory, ModelFiles.Manifest)}: feature schema v{manifest.FeatureSchema.Version} {manifest.FeatureSchema.Hash} does not match this build's v{schema.Version} {schema.Hash}; retrain the model with this version of rightsize");
        }

        var session = SparseOnnxSession.Open(Path.Combine(directory, ModelFiles.Model), schema.Dimension, manifest.Input.Indices, manifest.Input.Values, manifest.Output);
        return new OnnxRowScorer(session, extractor, manifest);
    }

    private static ModelManifest ReadManifest(string path)
    {
        try
        {
            return ModelManifest.Read(path);
        }
        catch (InvalidOperationException)
        {
            // The manifest type's serializer metadata can fail to build (an init-only extension
            // data property); read the fields this tool needs by hand.
            try
            {
                var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
                return new ModelManifest
                {
                    Input = new ModelInput
                    {
                        Indices = (string?)node["input"]?["indices"] ?? "indices",
                        Values = (string?)node["input"]?["values"] ?? "values",
                        Dimension = (int?)node["input"]?["dimension"] ?? 0,
                    },
                    Output = (string?)node["output"] ?? "p_good",
                    FeatureSchema = new FeatureSchemaReference { Version = (int?)node["featureSchema"]?["version"] ?? 0, Hash = (string?)node["featureSchema"]?["hash"] ?? string.Empty },
                };
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new ClassifierModelException($"{path}: not a valid manifest: {ex.Message}", ex);
            }
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
        return result;
    }

    public void Dispose() => _session.Dispose();
}
