using System.Text.Json.Nodes;

namespace RightSize.Cli.Tests;

/// <summary>The manifest names the models whose scores trained each tier, as a user retraining on mixed data checks.</summary>
public sealed class TrainTierModelsTests : IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Train_TwoModelPairs_ManifestCountsTheRowsOfEachTiersModels()
    {
        var lines = new List<string>();
        for (var i = 0; i < 120; i++)
        {
            var hard = i % 2 == 0;
            var text = hard ? $"prove the integral theorem {i} step by step" : $"say hello to friend {i}";
            // 80 rows of one pair without a small tier, 40 of another with one; row 0 names a small model it does not score.
            var (tiers, scores) = i < 80
                ? (i == 0 ? """{"small":"unscored-3b","mid":"mixtral","frontier":"gpt-4"}""" : """{"mid":"mixtral","frontier":"gpt-4"}""", $$"""{"mixtral":{{(hard ? 0 : 1)}},"gpt-4":1}""")
                : ("""{"small":"llama-3b","mid":"flash","frontier":"gpt-4o"}""", $$"""{"llama-3b":{{(hard ? 0 : 1)}},"flash":1,"gpt-4o":1}""");
            lines.Add($$"""{"id":"r{{i}}","source":"s","messages":[{"role":"user","content":"{{text}}"}],"scores":{{scores}},"tiers":{{tiers}}}""");
        }

        var data = _sandbox.PathOf("mixed.jsonl");
        File.WriteAllLines(data, lines);
        var dir = _sandbox.PathOf("model");

        var (code, _, err) = CliSandbox.Run("train", "--data", data, "--out", dir, "--seed", "3", "--epochs", "1", "--no-mid-gate");

        Assert.True(code == 0, err);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")))!["metrics"]!;
        Assert.Equal(
            """{"small":{"llama-3b":40},"mid":{"mixtral":80,"flash":40},"frontier":{"gpt-4":80,"gpt-4o":40}}""",
            metrics["tierModels"]!.ToJsonString());
    }
}
