using RightSize.Classification.Models;
using RightSize.Features;

namespace RightSize.Classification.Onnx;

public sealed partial class OnnxDifficultyClassifier
{
    /// <summary>
    /// Loads a model directory (<c>model.onnx</c> + <c>manifest.json</c>), or the directory of a
    /// given <c>model.onnx</c> path. Refuses a model whose feature schema is not the extractor's.
    /// </summary>
    /// <exception cref="ClassifierModelException">A file is missing or corrupt, the manifest does not match the extractor, or the graph breaks the contract. The message names the file and the fix.</exception>
    public static OnnxDifficultyClassifier Load(string modelDirectory, FeatureExtractor extractor)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentNullException.ThrowIfNull(extractor);

        var directory = File.Exists(modelDirectory) ? Path.GetDirectoryName(Path.GetFullPath(modelDirectory))! : Path.GetFullPath(modelDirectory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ClassifierModelException($"The model directory '{directory}' does not exist. Point Classifier:ModelPath at a directory holding {ModelFiles.Model} and {ModelFiles.Manifest}, or train one with 'rightsize train --data FILE --out DIR'.");
        }

        var modelPath = File.Exists(modelDirectory) ? Path.GetFullPath(modelDirectory) : Path.Combine(directory, ModelFiles.Model);
        var manifestPath = Path.Combine(directory, ModelFiles.Manifest);
        var manifest = ModelManifest.Read(manifestPath);
        CheckManifest(manifest, manifestPath, extractor.Schema);

        var session = SparseOnnxSession.Open(modelPath, manifest.Input.Dimension, manifest.Input.Indices, manifest.Input.Values, manifest.Output);
        return new OnnxDifficultyClassifier(directory, modelPath, manifest, extractor, session);
    }

    private static void CheckManifest(ModelManifest manifest, string path, FeatureSchema schema)
    {
        if (manifest.Format != ModelManifest.CurrentFormat)
        {
            throw new ClassifierModelException($"The model manifest '{path}' has format {manifest.Format}; this gateway reads format {ModelManifest.CurrentFormat}. Retrain the model with this version or use the gateway version that wrote it.");
        }

        if (manifest.Labels is null || !manifest.Labels.SequenceEqual(ModelManifest.ContractLabels, StringComparer.Ordinal))
        {
            var labels = manifest.Labels is null ? "none" : string.Join(", ", manifest.Labels);
            throw new ClassifierModelException($"The model manifest '{path}' lists labels [{labels}]; the contract's output order is [{string.Join(", ", ModelManifest.ContractLabels)}].");
        }

        var model = manifest.FeatureSchema;
        if (!string.Equals(model.Hash, schema.Hash, StringComparison.OrdinalIgnoreCase)
            || model.Version != schema.Version
            || manifest.Input.Dimension != schema.Dimension)
        {
            throw new ClassifierModelException(
                $"The model in '{Path.GetDirectoryName(path)}' was trained with feature schema v{model.Version} (hash {Describe(model.Hash)}, dimension {manifest.Input.Dimension}), "
                + $"but this gateway extracts features with schema v{schema.Version} (hash {schema.Hash}, dimension {schema.Dimension}). "
                + "Its predictions would be meaningless, so it is refused. Retrain the model with this version ('rightsize train --data FILE --out DIR'), or run the gateway version that matches the model.");
        }
    }

    private static string Describe(string? hash) => string.IsNullOrEmpty(hash) ? "missing" : hash;
}
