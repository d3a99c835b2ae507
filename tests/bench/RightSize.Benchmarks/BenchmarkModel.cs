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

    /// <summary>Writes a random linear model of the default input dimension with the current exporter.</summary>
    public static string WriteRandom(FeatureExtractor extractor)
    {
        var random = new Random(1);
        var dimension = extractor.Schema.Dimension;
        var model = new SparseModel { Dimension = dimension, HiddenSize = 0, Embedding = Floats(random, dimension * SparseModel.OutputCount, 0.05f), OutputBias = [0.2f, 0.8f] };
        return Write(model, extractor, "rightsize-bench-model");
    }

    /// <summary>
    /// Writes a random model of the shape <c>rightsize train --logistic</c> produces (4 hidden units:
    /// chat prior and one per output; 3 outputs with the mid gate). Inference cost depends on the
    /// shape only, not on the weights.
    /// </summary>
    public static string WriteRandomLogisticShape(FeatureExtractor extractor)
    {
        const int width = 4;
        var random = new Random(1);
        var dimension = extractor.Schema.Dimension;
        var model = new SparseModel
        {
            Dimension = dimension,
            HiddenSize = width,
            Embedding = Floats(random, dimension * width, 0.05f),
            HiddenBias = [0f, 32f, 32f, 32f],
            OutputWeights = Floats(random, width * 3, 1f),
            OutputBias = [-32f, -32f, -32f],
            GateSlot = (int)StructuralSlot.ManyOptions,
        };
        return Write(model, extractor, "rightsize-bench-logistic");
    }

    private static float[] Floats(Random random, int count, float scale)
    {
        var array = new float[count];
        for (var i = 0; i < count; i++) array[i] = (random.NextSingle() - 0.5f) * 2 * scale;
        return array;
    }

    private static string Write(SparseModel model, FeatureExtractor extractor, string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), name);
        Directory.CreateDirectory(directory);
        var dimension = model.Dimension;
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
