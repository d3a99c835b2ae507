using System.CommandLine;
using System.Globalization;
using RightSize.Classification;
using RightSize.Classification.Rules;
using RightSize.Cli.Inference;
using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Evaluation;

namespace RightSize.Cli.Commands;

/// <summary>
/// <c>rightsize calibrate --data FILE --model DIR (--frontier-share X | --quality Q) [--no-small] [--min-confidence M]
/// [--tools-min-tier T] [--media-min-tier T] [--long-prompt-tokens N] [--route NAME]</c>: picks a route threshold
/// on a sample of the operator's own requests, routing each as the gateway would on a route with
/// the printed settings and those rules (the gateway's defaults unless given).
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "A sample of your requests in the routing row format; labels (tiers, scores) are needed only for --quality.", Required = true }.NotBlank();
        var model = new Option<string>("--model") { Description = "Model directory (model.onnx, manifest.json), or its model.onnx.", Required = true }.NotBlank();
        var share = new Option<double?>("--frontier-share") { Description = "Target share of requests sent to the frontier tier, 0..1." };
        var quality = new Option<double?>("--quality") { Description = "Target quality retained against all-frontier, 0..1 (needs labelled rows)." };
        var noSmall = new Option<bool>("--no-small") { Description = "The route has no small tier (decide between mid and frontier only)." };
        var minConfidence = new Option<double>("--min-confidence") { Description = "The route's MinConfidence: a cheaper-tier decision less confident than this goes to the frontier (default 0, as a route's).", DefaultValueFactory = _ => 0 };
        var rules = new RouteRuleOptions();
        var route = new Option<string>("--route") { Description = "Route name for the printed configuration snippet.", DefaultValueFactory = _ => "auto" };
        var command = new Command("calibrate", "Pick a route threshold for a target frontier share or quality on a sample of your requests.") { data, model, share, quality, noSmall, minConfidence };
        foreach (var option in rules.All) command.Options.Add(option);
        command.Options.Add(route);
        command.AddCheck(result =>
        {
            var hasShare = result.GetValue(share) is not null;
            var hasQuality = result.GetValue(quality) is not null;
            if (hasShare == hasQuality) result.AddError("Give exactly one of --frontier-share or --quality.");
            if (result.GetValue(share) is { } s && !(s is >= 0 and <= 1)) result.AddError("--frontier-share must be between 0 and 1.");
            if (result.GetValue(quality) is { } q && !(q is >= 0 and <= 1)) result.AddError("--quality must be between 0 and 1.");
            if (!(result.GetValue(minConfidence) is >= 0 and <= 1)) result.AddError("--min-confidence must be between 0 and 1.");
            rules.Check(result);
            if (result.GetValue(route) is { } name && RouteSnippet.Problem(name) is { } problem) result.AddError(problem); // null when not given: "auto"
        });
        command.SetAction(parse => RightSizeCli.Guard(context, () => Run(
            context, parse.GetValue(data)!, parse.GetValue(model)!, new Target(parse.GetValue(share), parse.GetValue(quality), !parse.GetValue(noSmall), parse.GetValue(minConfidence), rules.Read(parse)), parse.GetValue(route)!)));
        return command;
    }

    /// <summary>What to calibrate for: one of a frontier share or a quality, under the route's tiers, MinConfidence and rules.</summary>
    private sealed record Target(double? Share, double? Quality, bool AllowSmall, double MinConfidence, RequestRules Rules);

    private static int Run(CliContext context, string dataFile, string modelDir, Target target, string route)
    {
        var (share, quality, allowSmall, minConfidence, rules) = target;
        var rows = RoutingDataReader.ReadAll([dataFile], requireFrontier: quality is not null);
        DuplicateIds.Warn(context, rows);
        using var scorer = OnnxRowScorer.Open(modelDir, FeatureExtractor.Default);
        var predictions = scorer.Score(rows);
        var pSmall = predictions.Select(p => (double)p[0]).ToArray();
        var pMid = predictions.Select(p => (double)p[1]).ToArray();
        if (allowSmall) NoteNotJudged(context, TierNames.Small, pSmall);
        NoteNotJudged(context, TierNames.Mid, pMid);

        // The gateway's request-shape rules, by its own code: a row with tools (default
        // Rules:ToolsMinTier mid) never goes to small, whatever the threshold.
        var prompts = rows.ConvertAll(r => r.Prompt);
        RouteRuleOptions.Note(context, rules, prompts);
        var lowest = prompts.ConvertAll(rules.LowestTier);
        ThresholdChoice choice;
        if (share is { } s)
        {
            choice = ThresholdCalibrator.ForFrontierShare(pSmall, pMid, s, allowSmall, TierPrices.Default, minConfidence, lowest);
        }
        else
        {
            var scores = rows.Select(r => new[] { r.Score(Tier.Small), r.Score(Tier.Mid), r.Score(Tier.Frontier) }).ToArray();
            choice = ThresholdCalibrator.ForQuality(scores, pSmall, pMid, quality!.Value, allowSmall, TierPrices.Default, minConfidence, lowest);
        }

        if (!choice.TargetReached)
        {
            // No snippet: a script must not configure a route with a threshold that misses its target.
            context.Error.WriteLine("error: " + OutOfReach(choice, target, rows.Count));
            return ExitCodes.TargetNotReached;
        }

        // The choice is already a printable threshold, and its figures are that threshold's own.
        var c = CultureInfo.InvariantCulture;
        var threshold = choice.Threshold;
        var retained = double.IsNaN(choice.QualityRetained) ? string.Empty : string.Create(c, $"; quality retained {choice.QualityRetained:P1}");
        if (choice.QualityKnownShare < 1) retained += string.Create(c, $" (on the {choice.QualityKnownShare:P1} of requests whose tier has a score)");
        context.Output.WriteLine(string.Create(c, $"threshold {threshold:F4} on {rows.Count} requests: small {choice.SmallShare:P1}, mid {choice.MidShare:P1}, frontier {choice.FrontierShare:P1}; cost {choice.CostShare:P1} of all-frontier{retained}"));
        if (quality is not null) NoteUnknownQuality(context, choice, rows);
        RouteSnippet.Write(context.Output, route, threshold, minConfidence, rules);
        return ExitCodes.Ok;
    }

    /// <summary>Why no threshold will do, and the closest one.</summary>
    private static string OutOfReach(ThresholdChoice choice, Target target, int requests)
    {
        var c = CultureInfo.InvariantCulture;
        if (target.Share is { } budget)
        {
            return string.Create(c, $"no threshold keeps the frontier share at {budget:P1} on these {requests} requests with MinConfidence {target.MinConfidence:0.##}; the closest is threshold {choice.Threshold:F4} with {choice.FrontierShare:P1}");
        }

        var closest = double.IsNaN(choice.QualityRetained)
            ? "the frontier scores of the requests whose tier has a score are all 0, so quality retained is undefined"
            : string.Create(c, $"the closest is threshold {choice.Threshold:F4} with {choice.QualityRetained:P1}");
        return string.Create(c, $"no threshold reaches quality retained {target.Quality:P1} on these {requests} requests; {closest}");
    }

    /// <summary>
    /// Rows without a score for a cheaper tier are routed as the gateway routes them, so the mix
    /// counts them, but their quality there is unknown: say how many there are, how many the
    /// threshold sends to that tier, and that quality is measured without those. Silent when the
    /// threshold sends none of them there: quality is then known for every request.
    /// </summary>
    private static void NoteUnknownQuality(CliContext context, ThresholdChoice choice, List<RoutingRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var n = rows.Count;
        for (var t = 0; t < 2; t++)
        {
            var tier = (Tier)t;
            var sent = choice.UnknownQuality[t];
            if (sent == 0) continue;
            var unscored = rows.Count(r => !r.Has(tier));
            var name = tier.ToName();
            var share = t == 0 ? choice.SmallShare : choice.MidShare;
            context.Error.WriteLine(string.Create(c, $"note: {unscored} of {n} requests ({(double)unscored / n:P1}) have no {name} score, so their quality on {name} is unknown; at threshold {choice.Threshold:F4} the gateway sends {sent} of them to {name} ({name} share {share:P1} counts them), and quality retained is measured on the {choice.QualityKnownShare:P1} of requests whose tier has a score."));
        }
    }

    /// <summary>A tier the model gives no number for (NaN) is skipped on those requests, as the gateway skips it; say so.</summary>
    private static void NoteNotJudged(CliContext context, string tier, double[] p)
    {
        var notJudged = p.Count(double.IsNaN);
        if (notJudged == 0) return;
        context.Error.WriteLine($"note: the model does not judge {tier} on {notJudged} of {p.Length} requests (p_{tier} is NaN); like the gateway, the threshold never sends those to {tier}.");
    }
}
