using System.Globalization;
using RightSize.Training.Evaluation;

namespace RightSize.Cli.Commands;

/// <summary>Says on stderr, per source, why a figure of the evaluation is n/a (null in JSON).</summary>
internal static class EvaluationNotes
{
    public static void Write(CliContext context, IReadOnlyList<SourceEvaluation> evaluation)
    {
        foreach (var e in evaluation)
        {
            if (e.MidQuality >= e.FrontierQuality)
            {
                context.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"note: {e.Source}: mid scores at least as well as the frontier on average ({e.MidQuality:F3} vs {e.FrontierQuality:F3}), so there is no quality gap to recover: APGR and CPT are n/a."));
            }

            if (e.MidNotJudged > 0)
            {
                context.Error.WriteLine($"note: {e.Source}: the model does not judge mid on {e.MidNotJudged} of {e.Rows} rows (p_mid is NaN), so its mid-vs-frontier figures are n/a.");
            }

            if (e.ThreeTierRows > 0 && !RoutingEvaluator.CoversThreeTiers(e.ThreeTierRows, e.SourceRows))
            {
                context.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"note: {e.Source}: only {e.ThreeTierRows} of {e.SourceRows} rows ({(double)e.ThreeTierRows / e.SourceRows:P1}) have small, mid and frontier scores; the 3-tier cost is given for a source where at least {RoutingEvaluator.ThreeTierCoverage:P0} do, so it is n/a."));
            }

            if (e.SmallNotJudged > 0 && RoutingEvaluator.CoversThreeTiers(e.ThreeTierRows, e.SourceRows) && e.Model.ThreeTierCostShareAt95 is { } three && double.IsNaN(three))
            {
                context.Error.WriteLine($"note: {e.Source}: the model does not judge small on {e.SmallNotJudged} of {e.ThreeTierRows} rows (p_small is NaN), so its 3-tier cost is n/a.");
            }
        }
    }
}
