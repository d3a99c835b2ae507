using RightSize.Classification.Models;
using RightSize.Features;
using RightSize.OpenAI.Chat;
using RightSize.Training.Model;
using RightSize.Training.Onnx;

namespace RightSize.Classification.Tests;

/// <summary>Writes a model directory the way the trainer does: model.onnx, manifest.json and golden.jsonl.</summary>
internal static class TestModelDirectory
{
    /// <summary>A small feature space, so random test models stay small.</summary>
    public static FeatureExtractor SmallExtractor { get; } = new(FeatureExtractorOptions.Default with { HashBits = 10 });

    public static IReadOnlyList<ChatPrompt> Prompts { get; } =
    [
        ChatPrompt.FromUserText("hi"),
        ChatPrompt.FromUserText("What is the capital of France?"),
        ChatPrompt.FromUserText("Prove that there are infinitely many primes. Show every step of the argument."),
        new ChatPrompt(
            [new ChatTurn("system", "You are a careful senior engineer."), new ChatTurn("user", "```csharp\nvar x = 1;\n```\nWhy does this not compile?"), new ChatTurn("assistant", "Which error do you see?"), new ChatTurn("user", "CS0103")],
            toolCount: 2,
            responseFormatType: "json_object",
            maxTokens: 512),
        ChatPrompt.FromUserText(string.Concat(Enumerable.Repeat("Solve for x: 3x + 7 = 22, then explain the method. ", 200))),
        ChatPrompt.FromUserText(string.Empty),
    ];

    public static SparseModel Write(string directory, FeatureExtractor extractor, int hiddenSize, int seed, Func<ModelManifest, ModelManifest>? edit = null)
    {
        var model = RandomModels.Create(seed, extractor.Schema.Dimension, hiddenSize);
        OnnxModelExporter.ExportToFile(model, Path.Combine(directory, ModelFiles.Model));

        var manifest = new ModelManifest
        {
            Input = new ModelInput { Dimension = extractor.Schema.Dimension },
            FeatureSchema = new FeatureSchemaReference { Version = extractor.Schema.Version, Hash = extractor.Schema.Hash },
            DataHash = "test",
            Seed = seed,
            Trainer = "tests",
        };
        (edit?.Invoke(manifest) ?? manifest).WriteToFile(Path.Combine(directory, ModelFiles.Manifest));

        var features = new SparseFeatures();
        var p = new float[2];
        var golden = new List<GoldenVector>();
        foreach (var prompt in Prompts)
        {
            extractor.Extract(prompt, features);
            SparseModelForward.Predict(model, features.IndicesSpan, features.ValuesSpan, p);
            golden.Add(GoldenVector.From(prompt, p[0], p[1]));
        }

        GoldenVectors.Write(Path.Combine(directory, ModelFiles.GoldenVectors), golden);
        return model;
    }
}
