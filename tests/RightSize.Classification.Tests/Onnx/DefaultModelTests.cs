using RightSize.Classification.Models;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.OpenAI.Chat;

namespace RightSize.Classification.Tests.Onnx;

/// <summary>The shipped model must load in the gateway and reproduce the trainer's figures.</summary>
public sealed class DefaultModelTests
{
    [Fact]
    public void Load_ShippedDefaultModel_GoldenVectorsWithinTolerance()
    {
        using var classifier = OnnxDifficultyClassifier.Load(DefaultModelDirectory(), FeatureExtractor.Default);

        var result = classifier.VerifyGoldenVectors();

        Assert.True(result.Count >= 5, $"only {result.Count} golden vectors");
        Assert.True(result.IsWithin(), $"max deviation {result.MaxDeviation} at vector {result.WorstIndex}");
    }

    [Fact]
    public void Predict_ShippedDefaultModel_GivesMonotoneProbabilities()
    {
        using var classifier = OnnxDifficultyClassifier.Load(DefaultModelDirectory(), FeatureExtractor.Default);

        var p = classifier.Predict(ChatPrompt.FromUserText("What is 2 + 2?"));

        Assert.InRange(p.Small, 0f, p.Mid);
        Assert.InRange(p.Mid, 0f, 1f);
    }

    internal static string DefaultModelDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "default");
            if (File.Exists(Path.Combine(candidate, ModelFiles.Manifest))) return candidate;
        }

        throw new DirectoryNotFoundException("models/default was not found above " + AppContext.BaseDirectory);
    }
}
