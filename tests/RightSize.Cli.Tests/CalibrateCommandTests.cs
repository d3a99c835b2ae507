using System.Globalization;
using System.Text.RegularExpressions;
using RightSize.Classification;
using RightSize.Cli.Inference;
using RightSize.Features;
using RightSize.Training.Data;

namespace RightSize.Cli.Tests;

public sealed partial class CalibrateCommandTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [GeneratedRegex(@"^threshold (?<t>[0-9.]+) on (?<n>\d+) requests: small (?<small>[0-9.]+) %, mid (?<mid>[0-9.]+) %, frontier (?<frontier>[0-9.]+) %")]
    private static partial Regex Summary();

    /// <summary>
    /// The tier shares the gateway's own rule gives at <paramref name="threshold"/> on these rows:
    /// DecisionPolicy, then a cheaper tier under <paramref name="minConfidence"/> goes to the frontier.
    /// </summary>
    private static (double Small, double Mid, double Frontier) GatewayShares(string data, string model, double threshold, double minConfidence = 0)
    {
        var rows = RoutingDataReader.ReadAll([data], requireFrontier: false);
        using var scorer = OnnxRowScorer.Open(model, FeatureExtractor.Default);
        var counts = new int[3];
        foreach (var p in scorer.Score(rows))
        {
            var decision = DecisionPolicy.Decide(new TierProbabilities(p[0], p[1]), threshold);
            counts[(int)(decision.Tier < Tier.Frontier && decision.Confidence < minConfidence ? Tier.Frontier : decision.Tier)]++;
        }

        return ((double)counts[0] / rows.Count, (double)counts[1] / rows.Count, (double)counts[2] / rows.Count);
    }

    [Theory]
    [InlineData("0.1", "0")]
    [InlineData("0.3", "0")]
    [InlineData("0.55", "0")]
    [InlineData("0.55", "0.6")]
    public void Calibrate_FrontierShare_PrintedThresholdKeepsTheBudgetAndPrintedSharesAreItsOwn(string share, string minConfidence)
    {
        var data = _sandbox.Data("sample.jsonl", 97);
        var (code, output, err) = CliSandbox.Run("calibrate", "--data", data, "--model", trained.Dir, "--frontier-share", share, "--min-confidence", minConfidence);
        Assert.True(code == 0, err);
        var summary = Summary().Match(output);
        Assert.True(summary.Success, output);
        var threshold = double.Parse(summary.Groups["t"].Value, CultureInfo.InvariantCulture);
        Assert.Contains($"RightSize__Routes__auto__Threshold={threshold.ToString("0.####", CultureInfo.InvariantCulture)}", output);
        var confidence = double.Parse(minConfidence, CultureInfo.InvariantCulture);
        if (confidence > 0) Assert.Contains($"RightSize__Routes__auto__MinConfidence={minConfidence}", output);

        var gateway = GatewayShares(data, trained.Dir, threshold, confidence);
        Assert.True(gateway.Frontier <= double.Parse(share, CultureInfo.InvariantCulture), $"frontier share {gateway.Frontier} at the printed threshold {threshold} is over the budget {share}");
        Assert.Equal(Math.Round(gateway.Small * 100, 1), double.Parse(summary.Groups["small"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Math.Round(gateway.Mid * 100, 1), double.Parse(summary.Groups["mid"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Math.Round(gateway.Frontier * 100, 1), double.Parse(summary.Groups["frontier"].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Calibrate_QualityWithRowsWithoutASmallScore_PrintsTheGatewaysMixAndSaysQualityIsPartial()
    {
        // Every third row names no small tier (30 of 90); the gateway routes them by their p_small like any other.
        var data = _sandbox.Data("sample.jsonl", 90);
        var (code, output, err) = CliSandbox.Run("calibrate", "--data", data, "--model", trained.Dir, "--quality", "0.9");
        Assert.True(code == 0, err);
        var summary = Summary().Match(output);
        Assert.True(summary.Success, output);
        var threshold = double.Parse(summary.Groups["t"].Value, CultureInfo.InvariantCulture);

        var gateway = GatewayShares(data, trained.Dir, threshold);
        Assert.Equal(Math.Round(gateway.Small * 100, 1), double.Parse(summary.Groups["small"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Math.Round(gateway.Mid * 100, 1), double.Parse(summary.Groups["mid"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(Math.Round(gateway.Frontier * 100, 1), double.Parse(summary.Groups["frontier"].Value, CultureInfo.InvariantCulture));
        Assert.Matches(@"quality retained [0-9.]+ % \(on the [0-9.]+ % of requests whose tier has a score\)", output);
        Assert.Matches(@"^note: 30 of 90 requests \(33\.3 %\) have no small score, so their quality on small is unknown; at threshold [0-9.]+ the gateway sends [1-9][0-9]* of them to small \(small share [0-9.]+ % counts them\)", err);
    }

    [Fact]
    public void Calibrate_QualityOutOfReach_OwnExitCodeNoSnippetAndTheClosestOnStderr()
    {
        // Every probability is 1, so even the highest threshold (1) sends everything to small,
        // which is wrong on the hard half: 99% quality cannot be had from any threshold.
        var model = _sandbox.CopyModel(trained.Dir, "certain");
        CliSandbox.ReplaceGraph(model, 40f);
        var (code, output, err) = CliSandbox.Run("calibrate", "--data", _sandbox.Data("sample.jsonl", 60), "--model", model, "--quality", "0.99");
        Assert.Equal(ExitCodes.TargetNotReached, code);
        Assert.StartsWith("error: no threshold reaches quality retained 99.0 % on these 60 requests; the closest is threshold 1.0000 with ", err.Trim());
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Calibrate_FrontierShareOutOfReach_OwnExitCodeAndNoSnippet()
    {
        // Every probability is 0.5: under MinConfidence 0.99 every cheaper-tier decision escalates,
        // so every request goes to the frontier whatever the threshold.
        var model = _sandbox.CopyModel(trained.Dir, "unsure");
        CliSandbox.ReplaceGraph(model, 0f);
        var (code, output, err) = CliSandbox.Run("calibrate", "--data", _sandbox.Data("sample.jsonl", 20), "--model", model, "--frontier-share", "0.3", "--min-confidence", "0.99");
        Assert.Equal(ExitCodes.TargetNotReached, code);
        Assert.Equal("error: no threshold keeps the frontier share at 30.0 % on these 20 requests with MinConfidence 0.99; the closest is threshold 0.0000 with 100.0 %", err.Trim());
        Assert.Equal(string.Empty, output);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("a/b")]
    [InlineData("café")]
    [InlineData("..")]
    public void Calibrate_RouteNameTheGatewayRefuses_IsUsageError(string route)
    {
        var (code, _, err) = CliSandbox.Run("calibrate", "--data", "x", "--model", "y", "--quality", "0.9", "--route", route);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(["--route: a route name is a model name: 1 to 256 visible ASCII characters, without '/' or spaces, and not '.' or '..' (the gateway refuses others)."], CliSandbox.UsageErrors(err));
    }

    [Fact]
    public void Calibrate_RouteNameWithAColon_IsUsageError()
    {
        var (code, _, err) = CliSandbox.Run("calibrate", "--data", "x", "--model", "y", "--quality", "0.9", "--route", "a:b");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(["--route: a route name cannot hold ':', which configuration reads as a section separator."], CliSandbox.UsageErrors(err));
    }

    [Fact]
    public void Calibrate_RouteNameWithAQuote_SnippetIsValidJsonNamingTheRoute()
    {
        var (code, output, err) = CliSandbox.Run("calibrate", "--data", _sandbox.Data("sample.jsonl", 40), "--model", trained.Dir, "--frontier-share", "0.5", "--min-confidence", "0.6", "--route", "x\"y");
        Assert.True(code == 0, err);
        var appsettings = output.Split('\n').Single(line => line.StartsWith("appsettings: ", StringComparison.Ordinal))["appsettings: ".Length..];
        using var json = System.Text.Json.JsonDocument.Parse(appsettings);
        var route = json.RootElement.GetProperty("RightSize").GetProperty("Routes").GetProperty("x\"y");
        Assert.Equal(0.6, route.GetProperty("MinConfidence").GetDouble());
        Assert.Contains($"RightSize__Routes__x\"y__Threshold={route.GetProperty("Threshold").GetDouble().ToString(CultureInfo.InvariantCulture)}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_QualityReachable_NoWarning()
    {
        // Every row scored on every tier: quality is known wherever the threshold sends a request.
        var data = _sandbox.Data("sample.jsonl", 60);
        File.WriteAllText(data, File.ReadAllText(data).Replace("\"tiers\":{\"mid\"", "\"tiers\":{\"small\":\"s\",\"mid\"", StringComparison.Ordinal));
        var (code, output, err) = CliSandbox.Run("calibrate", "--data", data, "--model", trained.Dir, "--quality", "0.9");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        Assert.Contains("quality retained", output);
        Assert.DoesNotContain("whose tier has a score", output);
    }

    [Fact]
    public void Calibrate_NaNTarget_IsUsageError()
    {
        var (code, _, err) = CliSandbox.Run("calibrate", "--data", "x", "--model", "y", "--quality", "NaN");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(["--quality must be between 0 and 1."], CliSandbox.UsageErrors(err));
    }
}
