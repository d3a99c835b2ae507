using System.Text.Json.Nodes;

namespace RightSize.Cli.Tests;

/// <summary><c>train --eval</c> on rows the model was trained on: said on stderr and in the manifest, since its figures are then not held out.</summary>
public sealed class EvalOverlapTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Train_EvalIsTheTrainingFile_WarnsOnceAndNotesItInTheManifest()
    {
        var data = _sandbox.Data("t3.jsonl", 120);
        var dir = _sandbox.PathOf("model");

        var (code, _, err) = CliSandbox.Run("train", "--data", data, "--out", dir, "--seed", "3", "--epochs", "2", "--eval", data);

        Assert.True(code == 0, err);
        const string Expected = "120 of 120 --eval rows share an id or the same prompt with --data rows";
        Assert.Single(err.Split('\n'), line => line.Contains("--eval rows share", StringComparison.Ordinal));
        Assert.Contains($"warning: {Expected} (such as 'r0' at {data}:1 and {data}:1); the model has seen them, so the figures under eval:t3.jsonl overstate how it does on new prompts.", err, StringComparison.Ordinal);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!["metrics"]!;
        Assert.NotNull(metrics["eval:t3.jsonl"]);
        Assert.Contains(metrics["notes"]!.AsArray(), note => note!.GetValue<string>().StartsWith(Expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Train_EvalHasRenamedCopiesAndNewPrompts_CountsOnlyTheCopies()
    {
        var data = _sandbox.Data("train.jsonl", 120);
        var eval = _sandbox.PathOf("dev.jsonl");
        var copies = File.ReadAllLines(data).Take(30).Select(line => line.Replace("\"id\":\"r", "\"id\":\"copy-", StringComparison.Ordinal));
        var fresh = File.ReadAllLines(_sandbox.Data("other.jsonl", 30)).Select(line => line
            .Replace("\"id\":\"r", "\"id\":\"dev-", StringComparison.Ordinal)
            .Replace("friend", "neighbour", StringComparison.Ordinal)
            .Replace("theorem", "lemma", StringComparison.Ordinal));
        File.WriteAllLines(eval, [.. copies, .. fresh]);

        var (code, _, err) = CliSandbox.Run("train", "--data", data, "--out", _sandbox.PathOf("model"), "--seed", "3", "--epochs", "2", "--eval", eval);

        Assert.True(code == 0, err);
        Assert.Contains($"warning: 30 of 60 --eval rows share an id or the same prompt with --data rows (such as 'copy-0' at {eval}:1 and {data}:1)", err, StringComparison.Ordinal);
    }
}
