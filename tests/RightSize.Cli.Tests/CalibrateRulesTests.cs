using System.Globalization;
using System.Text.RegularExpressions;
using RightSize.Training.Evaluation;

namespace RightSize.Cli.Tests;

/// <summary>
/// <c>calibrate</c> applies the route's request-shape rules (<c>Rules:ToolsMinTier</c>,
/// <c>Rules:MediaMinTier</c>, <c>Rules:LongPromptTokens</c>) as the gateway does, so that the
/// printed mix is what the gateway does with the printed snippet.
/// </summary>
public sealed partial class CalibrateRulesTests(TrainedModel trained) : IClassFixture<TrainedModel>, IDisposable
{
    private const string Tool = """[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]""";

    private readonly CliSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [GeneratedRegex(@"^threshold (?<t>[0-9.]+) on (?<n>\d+) requests: small (?<small>[0-9.]+) %, mid (?<mid>[0-9.]+) %, frontier (?<frontier>[0-9.]+) %; cost (?<cost>[0-9.]+) %")]
    private static partial Regex Summary();

    [Fact]
    public void Calibrate_ToolRows_NoneGoesToSmallAndTheGatewayAgrees()
    {
        // A model sure that small will do for every prompt; 4 of 10 requests have tools.
        var model = ConstantModel(2f);
        var data = Rows("tools.jsonl", Enumerable.Range(0, 10).Select(i => i < 4 ? Row(i, "look up the weather in town " + i, tools: true) : Row(i, "say hello to friend " + i)));

        var (code, output, err) = CliSandbox.Run("calibrate", "--data", data, "--model", model, "--frontier-share", "0");

        Assert.True(code == 0, err);
        var cost = ((6 * TierPrices.Default.Small) + (4 * TierPrices.Default.Mid)) / (10 * TierPrices.Default.Frontier);
        Assert.Matches(string.Create(CultureInfo.InvariantCulture, $@"^threshold [0-9.]+ on 10 requests: small 60\.0 %, mid 40\.0 %, frontier 0\.0 %; cost {cost * 100:F1} % of all-frontier"), output);
        Assert.Contains("appsettings: {\"RightSize\":{\"Routes\":{\"auto\":{\"Threshold\":", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Rules", output, StringComparison.Ordinal); // the default rules need no configuration
        Assert.Contains("note: 4 of 10 requests (40.0 %) have tools or tool results; like the gateway (Rules:ToolsMinTier mid), calibrate sends none of them below mid, whatever the threshold.", err, StringComparison.Ordinal);
        Assert.Equal((0.6, 0.4, 0.0), GatewayRoute.Shares(output, data, model));
    }

    [Fact]
    public void Calibrate_ToolsMinTierNone_ToolRowsGoToSmallAndTheSnippetTurnsTheRuleOff()
    {
        var model = ConstantModel(2f);
        var data = Rows("tools.jsonl", Enumerable.Range(0, 10).Select(i => i < 4 ? Row(i, "look up the weather in town " + i, tools: true) : Row(i, "say hello to friend " + i)));

        var (code, output, err) = CliSandbox.Run("calibrate", "--data", data, "--model", model, "--frontier-share", "0", "--tools-min-tier", "none");

        Assert.True(code == 0, err);
        Assert.Matches(@"^threshold [0-9.]+ on 10 requests: small 100\.0 %, mid 0\.0 %, frontier 0\.0 %", output);
        Assert.Contains("\"Rules\":{\"ToolsMinTier\":\"\"}", output, StringComparison.Ordinal);
        Assert.Contains("RightSize__Routes__auto__Rules__ToolsMinTier=\"\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("have tools", err, StringComparison.Ordinal);
        Assert.Equal((1.0, 0.0, 0.0), GatewayRoute.Shares(output, data, model));
        Assert.Equal((1.0, 0.0, 0.0), GatewayRoute.Shares(output, data, model, useEnvironment: true));
    }

    /// <summary>The printed mix and cost are what the gateway's route policy does on a route configured with the printed snippet, for each rule setting.</summary>
    [Theory]
    [InlineData("--frontier-share", "0.4")]
    [InlineData("--frontier-share", "0.4", "--tools-min-tier", "none")]
    [InlineData("--frontier-share", "0.4", "--media-min-tier", "frontier")]
    [InlineData("--frontier-share", "0.8", "--tools-min-tier", "FRONTIER", "--media-min-tier", "small", "--min-confidence", "0.6")]
    [InlineData("--frontier-share", "0.5", "--long-prompt-tokens", "100")]
    [InlineData("--frontier-share", "0.6", "--no-small", "--tools-min-tier", "frontier")]
    [InlineData("--quality", "0.9")]
    [InlineData("--quality", "0.9", "--media-min-tier", "none", "--long-prompt-tokens", "100", "--route", "agents")]
    public void Calibrate_MixedTraffic_PrintedMixAndCostAreTheGatewaysAtThePrintedSnippet(params string[] options)
    {
        var data = Rows("mixed.jsonl", Enumerable.Range(0, 80).Select(MixedRow));
        var (code, output, err) = CliSandbox.Run(["calibrate", "--data", data, "--model", trained.Dir, .. options]);
        Assert.True(code == 0, err);
        var summary = Summary().Match(output);
        Assert.True(summary.Success, output);
        var route = options.Contains("--route") ? "agents" : "auto";
        var withSmall = !options.Contains("--no-small");

        foreach (var useEnvironment in new[] { false, true })
        {
            var gateway = GatewayRoute.Shares(output, data, trained.Dir, route, useEnvironment, withSmall);
            var prices = TierPrices.Default;
            var cost = ((gateway.Small * prices.Small) + (gateway.Mid * prices.Mid) + (gateway.Frontier * prices.Frontier)) / prices.Frontier;
            Assert.Equal(
                (Percent(gateway.Small), Percent(gateway.Mid), Percent(gateway.Frontier), Percent(cost)),
                (summary.Groups["small"].Value, summary.Groups["mid"].Value, summary.Groups["frontier"].Value, summary.Groups["cost"].Value));
        }
    }

    [Theory]
    [InlineData("--tools-min-tier", "big", "--tools-min-tier must be small, mid, frontier or none (the rule off), not 'big'.")]
    [InlineData("--media-min-tier", "vision", "--media-min-tier must be small, mid, frontier or none (the rule off), not 'vision'.")]
    [InlineData("--long-prompt-tokens", "0", "--long-prompt-tokens must be positive; leave it out for a route without the rule.")]
    public void Calibrate_BadRuleValue_IsUsageError(string option, string value, string error)
    {
        var (code, output, err) = CliSandbox.Run("calibrate", "--data", "x", "--model", "y", "--frontier-share", "0.3", option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal([error], CliSandbox.UsageErrors(err));
        Assert.Empty(output);
    }

    /// <summary>A share as calibrate prints it (P1, without the " %").</summary>
    private static string Percent(double share) => share.ToString("P1", CultureInfo.InvariantCulture)[..^2];

    /// <summary>A copy of the fixture model whose two outputs are sigmoid(<paramref name="bias"/>) for every prompt.</summary>
    private string ConstantModel(float bias)
    {
        var model = _sandbox.CopyModel(trained.Dir, "constant");
        CliSandbox.ReplaceGraph(model, bias);
        return model;
    }

    /// <summary>
    /// Agent-style traffic: easy and hard prompts as the fixture model was trained on; every
    /// third row has tools, every fifth an image (85 tokens at detail low), every seventh is a
    /// long prompt (about 150 estimated tokens).
    /// </summary>
    private static string MixedRow(int i)
    {
        var hard = i % 2 == 0;
        var text = hard ? $"prove the integral theorem {i} step by step" : $"say hello to friend {i}";
        if (i % 7 == 0) text += string.Concat(Enumerable.Repeat(" and then some more words", 24));
        return Row(i, text, tools: i % 3 == 0, image: i % 5 == 0, score: hard && i % 4 == 0 ? 0 : 1, smallScore: hard ? 0 : 1);
    }

    private static string Row(int i, string text, bool tools = false, bool image = false, int score = 1, int smallScore = 1)
    {
        var content = image
            ? $$$"""[{"type":"text","text":"{{{text}}}"},{"type":"image_url","image_url":{"url":"https://example.com/{{{i}}}.png","detail":"low"}}]"""
            : $"\"{text}\"";
        var toolsField = tools ? $",\"tools\":{Tool}" : string.Empty;
        return $$$"""{"id":"r{{{i}}}","source":"agents","messages":[{"role":"user","content":{{{content}}}}]{{{toolsField}}},"scores":{"s":{{{smallScore}}},"m":{{{score}}},"f":1},"tiers":{"small":"s","mid":"m","frontier":"f"}}""";
    }

    private string Rows(string name, IEnumerable<string> lines)
    {
        var path = _sandbox.PathOf(name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
