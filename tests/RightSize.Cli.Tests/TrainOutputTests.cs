using RightSize.Classification.Onnx;
using RightSize.Features;

namespace RightSize.Cli.Tests;

/// <summary><c>train</c> replaces <c>--out</c> as a whole, and refuses one it cannot use before it trains.</summary>
public sealed class TrainOutputTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Train_OverAModelWhoseFilesCannotBeOverwrittenInPlace_ReplacesItWhole()
    {
        // golden.jsonl is a directory, so writing the files in place would stop after model.onnx
        // and manifest.json (as a full disk would): a new model beside the old golden vectors.
        var model = _sandbox.CopyModel(trained.Dir, "m");
        File.Delete(Path.Combine(model, "golden.jsonl"));
        Directory.CreateDirectory(Path.Combine(model, "golden.jsonl", "stuck"));

        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("t.jsonl", 60), "--out", model, "--seed", "5", "--epochs", "1");

        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(model, "golden.jsonl")));
        using var classifier = OnnxDifficultyClassifier.Load(model, FeatureExtractor.Default);
        Assert.Equal(5, classifier.Manifest.Seed);
        var golden = classifier.VerifyGoldenVectors();
        Assert.True(golden.Count > 0 && golden.IsWithin(), $"max deviation {golden.MaxDeviation}");
        Assert.Equal(["m", "t.jsonl"], Directory.EnumerateFileSystemEntries(_sandbox.Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Train_OutIsAnUnwritableDirectory_FailsBeforeTrainingNamingOut()
    {
        var model = Directory.CreateDirectory(_sandbox.PathOf("m")).FullName;
        using var locked = new Unwritable(model);

        var (code, output, err) = CliSandbox.Run("train", "--data", _sandbox.Data("t.jsonl", 60), "--out", model, "--epochs", "1");

        Assert.Equal(ExitCodes.BadData, code);
        Assert.StartsWith($"error: {model}: --out cannot be used as the model directory: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(string.Empty, output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(model));
    }

    [Fact]
    public void Train_OutHoldsOtherFiles_FailsBeforeTrainingAndLeavesThem()
    {
        var models = Directory.CreateDirectory(_sandbox.PathOf("models")).FullName;
        File.WriteAllText(Path.Combine(models, "README"), "my models");

        var (code, _, err) = CliSandbox.Run("train", "--data", _sandbox.Data("t.jsonl", 60), "--out", models, "--epochs", "1");

        Assert.Equal(ExitCodes.BadData, code);
        Assert.StartsWith($"error: {models}: --out cannot be used as the model directory: it holds 'README', which is not part of a model", err, StringComparison.Ordinal);
        Assert.Equal(["README"], Directory.EnumerateFileSystemEntries(models).Select(Path.GetFileName));
    }
}
