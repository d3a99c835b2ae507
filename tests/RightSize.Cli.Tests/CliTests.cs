namespace RightSize.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();
    private readonly string _dir;

    public CliTests() => _dir = _sandbox.Dir;

    public void Dispose() => _sandbox.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args) => CliSandbox.Run(args);

    private string Data(string name, int rows) => _sandbox.Data(name, rows);

    [Fact]
    public void Train_Eval_Score_Calibrate_RoundTrip()
    {
        var data = Data("train.jsonl", 120);
        var model = Path.Combine(_dir, "model");
        var train = Run("train", "--data", data, "--out", model, "--seed", "3", "--epochs", "2");
        Assert.True(train.Code == 0, train.Err);
        Assert.True(File.Exists(Path.Combine(model, "model.onnx")));
        Assert.True(File.Exists(Path.Combine(model, "manifest.json")));
        Assert.True(File.Exists(Path.Combine(model, "golden.jsonl")));

        var eval = Run("eval", "--data", data, "--model", model);
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains("three", eval.Out);
        Assert.Contains("oracle", eval.Out);

        var scores = Path.Combine(_dir, "scores.jsonl");
        var score = Run("score", "--data", data, "--model", model, "--out", scores);
        Assert.True(score.Code == 0, score.Err);
        var lines = File.ReadAllLines(scores);
        Assert.Equal(120, lines.Length);
        // r0 has no small tier in its labels; the model judges its prompt all the same.
        Assert.Matches("""^\{"id":"r0","p":\{"small":0\.\d+,"mid":0\.\d+\}\}$""", lines[0]);
        Assert.Matches("""^\{"id":"r1","p":\{"small":0\.\d+,"mid":0\.\d+\}\}$""", lines[1]);

        var calibrate = Run("calibrate", "--data", data, "--model", model, "--frontier-share", "0.3");
        Assert.True(calibrate.Code == 0, calibrate.Err);
        Assert.Contains("Threshold", calibrate.Out);
        var byQuality = Run("calibrate", "--data", data, "--model", model, "--quality", "0.95");
        Assert.True(byQuality.Code == 0, byQuality.Err);
        Assert.Contains("quality retained", byQuality.Out);
    }

    [Fact]
    public void Train_Logistic_WritesAModelTheRuntimeLoads()
    {
        var data = Data("train.jsonl", 120);
        var model = Path.Combine(_dir, "logistic");
        var train = Run("train", "--data", data, "--out", model, "--logistic", "--regularization", "2");
        Assert.True(train.Code == 0, train.Err);
        var metrics = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")))!["metrics"]!;
        Assert.Equal(2.0, metrics["regularizationC"]!.GetValue<double>());
        Assert.Null(metrics["epochs"]);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")))!;
        Assert.Equal("rightsize train 1.1 (sparse logistic regression per output with a chat prior offset, l2, l-bfgs, platt)", manifest["trainer"]!.GetValue<string>());
        var settings = metrics["trainerSettings"]!;
        Assert.Equal("logistic", settings["model"]!.GetValue<string>());
        Assert.Equal(2.0, settings["regularizationC"]!.GetValue<double>());
        Assert.Null(settings["epochs"]);
        Assert.Null(settings["hiddenSize"]);

        using (var classifier = Classification.Onnx.OnnxDifficultyClassifier.Load(model, Features.FeatureExtractor.Default))
        {
            var golden = classifier.VerifyGoldenVectors(); // ONNX Runtime against the trainer's own arithmetic
            Assert.True(golden.Count > 0 && golden.IsWithin(), $"max deviation {golden.MaxDeviation}");
        }

        var eval = Run("eval", "--data", data, "--model", model);
        Assert.True(eval.Code == 0, eval.Err);
        Assert.Contains("oracle", eval.Out);
    }

    [Fact]
    public void Train_HiddenSize_SetsTheGraphWidth()
    {
        var data = Data("train.jsonl", 120);
        var model = Path.Combine(_dir, "narrow");
        var train = Run("train", "--data", data, "--out", model, "--hidden-size", "4", "--epochs", "1");
        Assert.True(train.Code == 0, train.Err);

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(model, "model.onnx"));
        Assert.Equal("4", session.ModelMetadata.CustomMetadataMap["rightsize.hidden_size"]);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")))!;
        Assert.Equal("rightsize train 1.1 (sparse embedding + relu hidden layer with a chat prior unit, adagrad, platt)", manifest["trainer"]!.GetValue<string>());
        var settings = manifest["metrics"]!["trainerSettings"]!;
        Assert.Equal("""{"model":"hidden-layer","hiddenSize":4,"ensembleSize":1,"epochs":1,"learningRate":0.01,"l2":0.0001,"outcomeWeight":0.5,"holdOutShare":0.1,"midGateSlot":null,"gatedRowsTrainPlain":true,"chatPrior":true}""", settings.ToJsonString()); // no row has 5+ option letters: the gate is off
        using var classifier = Classification.Onnx.OnnxDifficultyClassifier.Load(model, Features.FeatureExtractor.Default);
        var golden = classifier.VerifyGoldenVectors();
        Assert.True(golden.Count > 0 && golden.IsWithin(), $"max deviation {golden.MaxDeviation}");
    }

    [Fact]
    public void Train_NonPositiveRegularization_IsUsageError()
    {
        var (code, _, err) = Run("train", "--data", Data("train.jsonl", 10), "--out", Path.Combine(_dir, "m"), "--logistic", "--regularization", "0");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(["--regularization must be a finite number above 0 (got 0)."], CliSandbox.UsageErrors(err));
    }

    [Fact]
    public void Train_MissingFile_ExitCodeAndOneLine()
    {
        var missing = Path.Combine(_dir, "nope.jsonl");
        var (code, _, err) = Run("train", "--data", missing, "--out", Path.Combine(_dir, "m"));
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {missing}: file not found", err.Trim());
    }

    [Fact]
    public void Eval_MalformedLine_NamesFileAndLine()
    {
        var path = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(path, [File.ReadAllLines(Data("ok.jsonl", 1))[0], "{oops"]);
        var (code, _, err) = Run("train", "--data", path, "--out", Path.Combine(_dir, "m"));
        Assert.Equal(ExitCodes.BadData, code);
        Assert.StartsWith($"error: {path}:2: malformed JSON", err.Trim());
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Train_UnknownTier_NamesFileAndLine()
    {
        var path = Path.Combine(_dir, "tier.jsonl");
        File.WriteAllLines(path, ["""{"id":"x","messages":[{"role":"user","content":"q"}],"scores":{"a":1},"tiers":{"giant":"a","frontier":"a"}}"""]);
        var (code, _, err) = Run("train", "--data", path, "--out", Path.Combine(_dir, "m"));
        Assert.Equal(ExitCodes.BadData, code);
        Assert.Equal($"error: {path}:1: unknown tier 'giant' (expected small, mid or frontier)", err.Trim());
    }

    [Fact]
    public void Eval_MissingModel_BadModelExitCode()
    {
        var (code, _, err) = Run("eval", "--data", Data("d.jsonl", 3), "--model", Path.Combine(_dir, "none"));
        Assert.Equal(ExitCodes.BadModel, code);
        Assert.Contains("none", err);
    }

    [Fact]
    public void Calibrate_BothTargets_IsUsageError()
    {
        var (code, _, _) = Run("calibrate", "--data", "x", "--model", "y", "--frontier-share", "0.3", "--quality", "0.9");
        Assert.Equal(ExitCodes.Usage, code);
    }
}
