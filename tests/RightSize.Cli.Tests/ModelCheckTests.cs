using System.Text.Json.Nodes;

namespace RightSize.Cli.Tests;

/// <summary>What every verb that reads a model directory says about a bad one.</summary>
public sealed class ModelCheckTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private string Tampered(Action<JsonObject> change)
    {
        var model = _sandbox.CopyModel(trained.Dir, "tampered");
        var path = Path.Combine(model, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        change(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
        return model;
    }

    [Theory]
    [InlineData("format", "7", "manifest format 7; this version of RightSize reads format 1")]
    [InlineData("labels", """["mid","small"]""", "labels [mid, small]; the contract's output order is [small, mid]")]
    [InlineData("labels", """["small","mid","frontier"]""", "labels [small, mid, frontier]; the contract's output order is [small, mid]")]
    [InlineData("featureSchema", "null", "'featureSchema' is missing")]
    [InlineData("input", "null", "'input' is missing")]
    [InlineData("input", """{"indices":"","values":"values","dimension":12}""", "'input' must name the model's 'indices' and 'values' inputs")]
    [InlineData("output", "\"\"", "'output' must name the model's output")]
    [InlineData("input", """{"indices":"indices","values":"values","dimension":12}""", "dimension 12")]
    [InlineData("featureSchema", """{"version":1,"hash":"abc"}""", "hash abc")]
    public void Eval_BadManifest_BadModelExitCodeAndOneLineNamingTheManifest(string field, string json, string expected)
    {
        var model = Tampered(m => m[field] = JsonNode.Parse(json));
        var (code, _, err) = CliSandbox.Run("eval", "--data", _sandbox.Data("d.jsonl", 12), "--model", model);
        Assert.Equal(ExitCodes.BadModel, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains(Path.Combine(model, "manifest.json"), line);
        Assert.Contains(expected, line);
    }

    private string[] Args(string verb, string model, string scores)
    {
        var data = _sandbox.Data("d.jsonl", 12);
        return verb switch
        {
            "score" => ["score", "--data", data, "--model", model, "--out", scores],
            "calibrate" => ["calibrate", "--data", data, "--model", model, "--frontier-share", "0.3"],
            _ => ["eval", "--data", data, "--model", model],
        };
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("score")]
    [InlineData("calibrate")]
    public void Verb_ModelOnnxPath_UsesItsDirectoryAsTheGatewaysModelPathDoes(string verb)
    {
        var byDirectory = CliSandbox.Run(Args(verb, trained.Dir, _sandbox.PathOf("by-directory.jsonl")));
        var byFile = CliSandbox.Run(Args(verb, Path.Combine(trained.Dir, "model.onnx"), _sandbox.PathOf("by-file.jsonl")));

        Assert.True(byFile.Code == 0, byFile.Err);
        Assert.Equal(byDirectory.Out.Replace("by-directory", "by-file", StringComparison.Ordinal), byFile.Out);
        if (verb == "score") Assert.Equal(File.ReadAllText(_sandbox.PathOf("by-directory.jsonl")), File.ReadAllText(_sandbox.PathOf("by-file.jsonl")));
    }

    [Fact]
    public void Eval_MissingModelOnnxPath_BadModelNamingTheFile()
    {
        var missing = Path.Combine(_sandbox.PathOf("nowhere"), "model.onnx");
        var (code, _, err) = CliSandbox.Run(Args("eval", missing, _sandbox.PathOf("s.jsonl")));
        Assert.Equal(ExitCodes.BadModel, code);
        Assert.Equal($"error: {missing}: model file not found", err.Trim());
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("score")]
    [InlineData("calibrate")]
    public void Verb_ModelDisagreesWithItsGoldenVectors_RefusedAsTheGatewayWould(string verb)
    {
        // A new model.onnx beside the previous manifest and golden vectors: the schema matches, the model does not.
        var model = _sandbox.CopyModel(trained.Dir, "mixed");
        CliSandbox.ReplaceGraphKeepingGoldenVectors(model, 0.5f, 0.5f);
        var scores = _sandbox.PathOf("scores.jsonl");

        var (code, _, err) = CliSandbox.Run(Args(verb, model, scores));

        Assert.Equal(ExitCodes.BadModel, code);
        var line = Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith($"error: {Path.Combine(model, "golden.jsonl")}: the model disagrees with its own golden vectors (max deviation ", line, StringComparison.Ordinal);
        Assert.False(File.Exists(scores), "no scores file is left behind");
    }

    [Theory]
    [InlineData("manifest.json", "The model manifest")]
    [InlineData("golden.jsonl", "The golden vectors file")]
    public void Eval_ModelFileUnreadable_BadModelExitCodeNamingTheFile(string file, string what)
    {
        var model = _sandbox.CopyModel(trained.Dir, "unreadable");
        CliSandbox.MakeUnreadable(Path.Combine(model, file));

        var (code, _, err) = CliSandbox.Run(Args("eval", model, _sandbox.PathOf("scores.jsonl")));

        Assert.Equal(ExitCodes.BadModel, code);
        Assert.StartsWith($"error: {what} '{Path.Combine(model, file)}' cannot be read: ", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(float.NaN, 2f, """{"id":"r0","p":{"mid":0.880797}}""")]
    [InlineData(2f, float.NaN, """{"id":"r0","p":{}}""")] // p_small = min(p_small, p_mid) is NaN too
    public void Score_ModelDoesNotJudgeATier_ThatTierOmitted(float smallBias, float midBias, string firstLine)
    {
        var model = _sandbox.CopyModel(trained.Dir, "partial");
        CliSandbox.ReplaceGraph(model, smallBias, midBias);

        var (code, output, err) = CliSandbox.Run("score", "--data", _sandbox.Data("d.jsonl", 12), "--model", model, "--out", "-");

        Assert.True(code == 0, err);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(12, lines.Length);
        Assert.Equal(firstLine, lines[0]);
    }

    [Fact]
    public void Calibrate_ModelDoesNotJudgeSmall_SmallSkippedAsTheGatewayDoes()
    {
        var model = _sandbox.CopyModel(trained.Dir, "no-small");
        CliSandbox.ReplaceGraph(model, float.NaN, 2f); // p_mid 0.88 everywhere

        var (code, output, err) = CliSandbox.Run("calibrate", "--data", _sandbox.Data("d.jsonl", 12), "--model", model, "--frontier-share", "0.3");

        Assert.True(code == 0, err);
        Assert.StartsWith("threshold 0.8807 on 12 requests: small 0.0 %, mid 100.0 %, frontier 0.0 %", output, StringComparison.Ordinal);
        Assert.Equal("note: the model does not judge small on 12 of 12 requests (p_small is NaN); like the gateway, the threshold never sends those to small.", err.Trim());
    }

    [Fact]
    public void Eval_ModelDoesNotJudgeMid_ModelFiguresNotAvailableRandomAndOracleGiven()
    {
        var model = _sandbox.CopyModel(trained.Dir, "no-mid");
        CliSandbox.ReplaceGraph(model, 2f, float.NaN);
        var data = _sandbox.Data("d.jsonl", 12);

        var (code, output, err) = CliSandbox.Run("eval", "--data", data, "--model", model);
        var json = CliSandbox.Run("eval", "--data", data, "--model", model, "--json");

        Assert.True(code == 0, err);
        var modelRow = output.Split('\n').First(line => line.Contains("three", StringComparison.Ordinal));
        Assert.Equal(6, modelRow.Split("n/a").Length - 1); // all six figures of the model
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
        Assert.Equal(
            [
                "note: two: the model does not judge mid on 4 of 4 rows (p_mid is NaN), so its mid-vs-frontier figures are n/a.",
                "note: three: the model does not judge mid on 8 of 8 rows (p_mid is NaN), so its mid-vs-frontier figures are n/a.",
                "note: three: the model does not judge small on 8 of 8 rows (p_small is NaN), so its 3-tier cost is n/a.",
            ],
            err.Trim().Split('\n'));
        using var figures = System.Text.Json.JsonDocument.Parse(json.Out);
        var three = figures.RootElement.GetProperty("three");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, three.GetProperty("model").GetProperty("apgr").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, three.GetProperty("model").GetProperty("threeTierCostShareAt95").ValueKind);
        Assert.Equal(0.5, three.GetProperty("random").GetProperty("apgr").GetDouble(), 9);
    }
}
