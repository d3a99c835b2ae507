using System.Text.Json.Nodes;

namespace RightSize.Cli.Tests;

/// <summary>A mid gate the data could not train: the manifest records the model as trained (no gate), as <c>--no-mid-gate</c> does for the same model.</summary>
public sealed class MidGateOffTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Train_NoRowHasTheGateSlot_SettingsSayNoGateAsNoMidGateDoes()
    {
        var data = _sandbox.Data("train.jsonl", 120); // no prompt has 5+ option letters
        var automatic = _sandbox.PathOf("automatic");
        var asked = _sandbox.PathOf("asked");

        var (code, _, err) = CliSandbox.Run("train", "--data", data, "--out", automatic, "--seed", "3", "--epochs", "2");
        Assert.True(code == 0, err);
        var (askedCode, _, askedErr) = CliSandbox.Run("train", "--data", data, "--out", asked, "--seed", "3", "--epochs", "2", "--no-mid-gate");
        Assert.True(askedCode == 0, askedErr);

        Assert.Equal(File.ReadAllBytes(Path.Combine(asked, "model.onnx")), File.ReadAllBytes(Path.Combine(automatic, "model.onnx")));
        var metrics = Metrics(automatic);
        Assert.Null(metrics["trainerSettings"]!["midGateSlot"]);
        Assert.Equal(Metrics(asked)["trainerSettings"]!.ToJsonString(), metrics["trainerSettings"]!.ToJsonString());
        Assert.Contains(metrics["notes"]!.AsArray(), note => note!.GetValue<string>().StartsWith("mid gate off:", StringComparison.Ordinal));
        Assert.Contains("note: mid gate off:", err, StringComparison.Ordinal);
    }

    private static JsonNode Metrics(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!["metrics"]!;
}
