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
    public void Verb_ModelDisagreesWithItsGoldenVectors_RefusedAsTheGatewayWould(string verb)
    {
        // A new model.onnx beside the previous manifest and golden vectors: the schema matches, the model does not.
        var model = _sandbox.CopyModel(trained.Dir, "mixed");
        CliSandbox.ReplaceGraphKeepingGoldenVectors(model, 0.5f);
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
    [InlineData("eval")]
    [InlineData("score")]
    [InlineData("calibrate")]
    public void Verb_ModelGivesNaN_BadModelExitCodeNamingModelAndRow(string verb)
    {
        var model = _sandbox.CopyModel(trained.Dir, "nan");
        CliSandbox.ReplaceGraph(model, float.NaN);
        var data = _sandbox.Data("d.jsonl", 12);
        var scores = _sandbox.PathOf("scores.jsonl");
        string[] args = verb switch
        {
            "score" => ["score", "--data", data, "--model", model, "--out", scores],
            "calibrate" => ["calibrate", "--data", data, "--model", model, "--frontier-share", "0.3"],
            _ => ["eval", "--data", data, "--model", model],
        };

        var (code, _, err) = CliSandbox.Run(args);
        Assert.Equal(ExitCodes.BadModel, code);
        Assert.Equal($"error: {Path.Combine(model, "model.onnx")}: p_small is NaN for {data}:1 (id r0); a probability must be between 0 and 1", err.Trim());
        Assert.False(File.Exists(scores), "no scores file is left behind");
    }
}
