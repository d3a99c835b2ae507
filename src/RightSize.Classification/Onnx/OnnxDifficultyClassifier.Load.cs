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
        manifest.CheckUsableWith(extractor.Schema, manifestPath);

        var session = SparseOnnxSession.Open(modelPath, manifest.Input.Dimension, manifest.Input.Indices, manifest.Input.Values, manifest.Output);
        return new OnnxDifficultyClassifier(directory, modelPath, manifest, extractor, session);
    }
}
