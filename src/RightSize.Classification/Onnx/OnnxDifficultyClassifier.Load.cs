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

        // A path to an .onnx file names the file even when it is missing, so that the message
        // says which file is missing rather than calling the file a missing directory.
        var fullPath = Path.GetFullPath(modelDirectory);
        var namesFile = File.Exists(fullPath)
            || (!System.IO.Directory.Exists(fullPath) && Path.GetExtension(fullPath).Equals(".onnx", StringComparison.OrdinalIgnoreCase));
        var directory = namesFile ? Path.GetDirectoryName(fullPath)! : fullPath;
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ClassifierModelException($"The model directory '{directory}' does not exist. Point Classifier:ModelPath at a directory holding {ModelFiles.Model} and {ModelFiles.Manifest}, or train one with 'rightsize train --data FILE --out DIR'.");
        }

        var modelPath = namesFile ? fullPath : Path.Combine(directory, ModelFiles.Model);
        var manifestPath = Path.Combine(directory, ModelFiles.Manifest);
        var manifest = ModelManifest.Read(manifestPath);
        manifest.CheckUsableWith(extractor.Schema, manifestPath);

        var session = SparseOnnxSession.Open(modelPath, manifest.Input.Dimension, manifest.Input.Indices, manifest.Input.Values, manifest.Output);
        string sha256;
        try
        {
            sha256 = Sha256Of(modelPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            session.Dispose();
            throw new ClassifierModelException($"The model file '{modelPath}' cannot be read: {ex.Message}", ex);
        }

        return new OnnxDifficultyClassifier(directory, modelPath, manifest, extractor, session, sha256);
    }

    /// <summary>The file's SHA-256 as 64 lower-case hex digits, as <c>sha256sum</c> prints it.</summary>
    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>
    /// <see cref="Load"/>, then the check the gateway runs at start-up and the CLI before it
    /// scores: the model must reproduce its own <c>golden.jsonl</c> (a model without one, dropped
    /// in from elsewhere, is not checked). The classifier is disposed when a check fails.
    /// </summary>
    /// <param name="howToSkip">How the caller's user turns the check off, added to the message (the gateway's setting); null when there is no way.</param>
    /// <exception cref="ClassifierModelException">As for <see cref="Load"/>; or the model disagrees with its golden vectors, or ONNX Runtime fails on one.</exception>
    public static OnnxDifficultyClassifier LoadVerified(string modelDirectory, FeatureExtractor extractor, string? howToSkip = null)
    {
        var classifier = Load(modelDirectory, extractor);
        try
        {
            var check = classifier.VerifyGoldenVectors();
            if (check.Disagrees)
            {
                throw new ClassifierModelException(
                    $"{Path.Combine(classifier.Directory, ModelFiles.GoldenVectors)}: {check.Describe()}; it was not produced by this feature extractor and trainer. Retrain it{(howToSkip is null ? "." : ", or " + howToSkip + ".")}");
            }

            return classifier;
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
    }
}
