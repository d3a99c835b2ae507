using System.Text.Json.Nodes;

namespace RightSize.Cli.Tests;

/// <summary>Training data that never scores a tier: the model, its manifest and the console say so.</summary>
public sealed class TrainUntrainedTierTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("--epochs", "2")]
    [InlineData("--logistic")]
    public void Train_NoSmallScores_ManifestNamesTheUntrainedTier_AndItsLogLossIsNull(params string[] model)
    {
        var data = _sandbox.Data("mid-only.jsonl", 120, withSmall: false);
        var dir = _sandbox.PathOf("model");
        var (code, _, err) = CliSandbox.Run(["train", "--data", data, "--out", dir, "--seed", "3", .. model]);
        Assert.True(code == 0, err);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!["metrics"]!;
        var loss = metrics["heldOutLogLoss"]!.AsArray();
        Assert.Null(loss[0]); // no held-out row scores small: undefined, not 0
        Assert.True(loss[1]!.GetValue<double>() > 0);
        Assert.Equal("""["small"]""", metrics["untrainedOutputs"]!.ToJsonString());
        Assert.StartsWith("small: no training row has a small score", metrics["notes"]![0]!.GetValue<string>());
        Assert.Contains("note: small: no training row has a small score", err);

        using var classifier = Classification.Onnx.OnnxDifficultyClassifier.Load(dir, Features.FeatureExtractor.Default);
        var golden = classifier.VerifyGoldenVectors();
        Assert.True(golden.Count > 0 && golden.IsWithin(), $"max deviation {golden.MaxDeviation}");
        var p = classifier.Predict(OpenAI.Chat.ChatPrompt.FromUserText("say hello to friend 7"));
        Assert.Equal(0f, p.Small);
        Assert.True(p.Mid > 0.5f, $"p_mid {p.Mid}");
    }

    [Fact]
    public void Train_EveryTierScored_NothingUntrained_NoNote()
    {
        var data = _sandbox.Data("all.jsonl", 120);
        var dir = _sandbox.PathOf("model");
        var (code, _, err) = CliSandbox.Run("train", "--data", data, "--out", dir, "--seed", "3", "--epochs", "2", "--no-mid-gate");
        Assert.True(code == 0, err);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!["metrics"]!;
        Assert.Equal("[]", metrics["untrainedOutputs"]!.ToJsonString());
        Assert.Null(metrics["notes"]);
        Assert.DoesNotContain("note:", err);
        Assert.All(metrics["heldOutLogLoss"]!.AsArray(), l => Assert.True(l!.GetValue<double>() > 0));
    }
}
