namespace RightSize.Cli.Tests;

/// <summary>What <c>eval</c> prints where a figure is undefined.</summary>
public sealed class EvalCommandTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData(1, 1, "0.500 vs 0.500")] // the tiers tie
    [InlineData(1, 0, "0.500 vs 0.000")] // the frontier never scores
    public void Eval_SourceWithoutAQualityGap_PrintsNotAvailableAndSaysWhy(int midRight, int frontierRight, string means)
    {
        var data = _sandbox.PathOf("gapless.jsonl");
        File.WriteAllLines(data, Enumerable.Range(0, 6).Select(i =>
            $$$"""{"id":"g{{{i}}}","source":"gapless","messages":[{"role":"user","content":"question {{{i}}}"}],"scores":{"m":{{{(i % 2 == 0 ? midRight : 0)}}},"f":{{{(i % 2 == 0 ? frontierRight : 0)}}}},"tiers":{"mid":"m","frontier":"f"}}"""));

        var (code, output, err) = CliSandbox.Run("eval", "--data", data, "--model", trained.Dir);

        Assert.True(code == 0, err);
        Assert.DoesNotContain("NaN", output, StringComparison.Ordinal);
        var model = output.Split('\n').First(line => line.Contains(" model ", StringComparison.Ordinal));
        Assert.Equal(3, model.Split("n/a").Length - 1); // APGR, CPT(50%), CPT(80%)
        Assert.Equal($"note: gapless: mid scores at least as well as the frontier on average ({means}), so there is no quality gap to recover: APGR and CPT are n/a.", err.Trim());
    }

    [Fact]
    public void Eval_SourceWithThreeTiersOnFewerThan90PercentOfRows_PrintsNotAvailableAndNamesTheCoverage()
    {
        // "mixed": 6 of 10 rows score small; "two": no row does (no 3-tier figure at all: "-").
        var data = _sandbox.PathOf("mixed.jsonl");
        File.WriteAllLines(data, Enumerable.Range(0, 14).Select(i =>
        {
            var source = i < 10 ? "mixed" : "two";
            var tiers = i < 6 ? """{"small":"s","mid":"m","frontier":"f"}""" : """{"mid":"m","frontier":"f"}""";
            return $$$"""{"id":"x{{{i}}}","source":"{{{source}}}","messages":[{"role":"user","content":"question {{{i}}}"}],"scores":{"s":{{{(i % 3 == 0 ? 1 : 0)}}},"m":{{{i % 2}}},"f":1},"tiers":{{{tiers}}}}""";
        }));

        var (code, output, err) = CliSandbox.Run("eval", "--data", data, "--model", trained.Dir);
        var (jsonCode, json, _) = CliSandbox.Run("eval", "--data", data, "--model", trained.Dir, "--json");

        Assert.True(code == 0, err);
        var lines = output.Split('\n');
        var mixed = Array.FindIndex(lines, line => line.Contains(" mixed ", StringComparison.Ordinal));
        foreach (var line in lines[mixed..(mixed + 3)]) Assert.Equal("n/a", line.Split('│')[^2].Trim()); // 3-tier cost of model, random, oracle
        var two = Array.FindIndex(lines, line => line.Contains(" two ", StringComparison.Ordinal));
        foreach (var line in lines[two..(two + 3)]) Assert.Equal("-", line.Split('│')[^2].Trim());
        Assert.Equal("note: mixed: only 6 of 10 rows (60.0 %) have small, mid and frontier scores; the 3-tier cost is given for a source where at least 90 % do, so it is n/a.", err.Trim());

        Assert.Equal(0, jsonCode);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        foreach (var router in new[] { "model", "random", "oracle" })
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, document.RootElement.GetProperty("mixed").GetProperty(router).GetProperty("threeTierCostShareAt95").ValueKind);
            Assert.False(document.RootElement.GetProperty("two").GetProperty(router).TryGetProperty("threeTierCostShareAt95", out _));
        }
    }
}
