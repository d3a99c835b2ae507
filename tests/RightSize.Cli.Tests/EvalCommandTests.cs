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
}
