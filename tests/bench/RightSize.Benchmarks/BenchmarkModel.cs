using RightSize.Classification.Models;
using RightSize.Features;
using RightSize.Training.Model;
using RightSize.Training.Onnx;

namespace RightSize.Benchmarks;

/// <summary>Finds <c>models/default</c>, or writes a random linear model of the same shape to a temp directory.</summary>
internal static class BenchmarkModel
{
    public static string Locate(FeatureExtractor extractor, out bool isDefault)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models", "default");
                if (File.Exists(Path.Combine(candidate, ModelFiles.Manifest)))
                {
                    isDefault = true;
                    return candidate;
                }
            }
        }

        isDefault = false;
        return WriteRandom(extractor);
    }

    /// <summary>Writes a random linear model of the default shape with the current exporter.</summary>
    public static string WriteRandom(FeatureExtractor extractor)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rightsize-bench-model");
        Directory.CreateDirectory(directory);
        var random = new Random(1);
        var dimension = extractor.Schema.Dimension;
        var embedding = new float[dimension * SparseModel.OutputCount];
        for (var i = 0; i < embedding.Length; i++) embedding[i] = (random.NextSingle() - 0.5f) * 0.1f;
        var model = new SparseModel { Dimension = dimension, HiddenSize = 0, Embedding = embedding, OutputBias = [0.2f, 0.8f] };
        OnnxModelExporter.ExportToFile(model, Path.Combine(directory, ModelFiles.Model));
        new ModelManifest
        {
            Input = new ModelInput { Dimension = dimension },
            FeatureSchema = new FeatureSchemaReference { Version = extractor.Schema.Version, Hash = extractor.Schema.Hash },
            Trainer = "benchmark (random weights)",
        }.WriteToFile(Path.Combine(directory, ModelFiles.Manifest));
        return directory;
    }
}
