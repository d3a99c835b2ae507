using System.Globalization;
using RightSize.Classification;
using RightSize.Training.Data;
using RightSize.Training.Evaluation;

namespace RightSize.Cli.Commands;

/// <summary>Says on stderr, per source, why a figure of the evaluation is n/a (null in JSON).</summary>
internal static class EvaluationNotes
{
    public static void Write(CliContext context, IReadOnlyList<RoutingRow> rows, IReadOnlyList<float[]> predictions, IReadOnlyList<SourceEvaluation> evaluation)
    {
        foreach (var e in evaluation)
        {
            if (e.MidQuality >= e.FrontierQuality)
            {
                context.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"note: {e.Source}: mid scores at least as well as the frontier on average ({e.MidQuality:F3} vs {e.FrontierQuality:F3}), so there is no quality gap to recover: APGR and CPT are n/a."));
            }

            var (midRows, midNotJudged, threeRows, smallNotJudged) = NotJudged(rows, predictions, e.Source);
            if (midNotJudged > 0)
            {
                context.Error.WriteLine($"note: {e.Source}: the model does not judge mid on {midNotJudged} of {midRows} rows (p_mid is NaN), so its mid-vs-frontier figures are n/a.");
            }

            if (smallNotJudged > 0 && e.Model.ThreeTierCostShareAt95 is { } three && double.IsNaN(three))
            {
                context.Error.WriteLine($"note: {e.Source}: the model does not judge small on {smallNotJudged} of {threeRows} rows (p_small is NaN), so its 3-tier cost is n/a.");
            }
        }
    }

    /// <summary>The rows of <paramref name="source"/> the two-tier and three-tier figures use, and how many of them have no p_mid or p_small.</summary>
    private static (int MidRows, int MidNotJudged, int ThreeRows, int SmallNotJudged) NotJudged(IReadOnlyList<RoutingRow> rows, IReadOnlyList<float[]> predictions, string source)
    {
        int midRows = 0, midNotJudged = 0, threeRows = 0, smallNotJudged = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Source != source || !row.Has(Tier.Mid) || !row.Has(Tier.Frontier)) continue;
            midRows++;
            if (float.IsNaN(predictions[i][1])) midNotJudged++;
            if (!row.Has(Tier.Small)) continue;
            threeRows++;
            if (float.IsNaN(predictions[i][0])) smallNotJudged++;
        }

        return (midRows, midNotJudged, threeRows, smallNotJudged);
    }
}
