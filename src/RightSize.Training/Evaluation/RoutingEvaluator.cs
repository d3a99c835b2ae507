using RightSize.Classification;
using RightSize.Training.Data;

namespace RightSize.Training.Evaluation;

/// <summary>
/// Computes the data README's measures per source from rows and the model's [p_small, p_mid]
/// per row, beside a random router and the oracle. Two-tier figures use mid vs frontier (rows
/// with both); the three-tier cost share is computed on the rows with three tiers, for sources where at least
/// <see cref="ThreeTierCoverage"/> (90%) of rows have them. A source with no such row has no three-tier
/// figure (null); one with some, but fewer, has an undefined one (NaN for model, random and oracle),
/// since a cost on a small, self-selected part of the source would pass for the source's.
/// A tier the model does not judge (NaN) on a row the figures use leaves the model's figures that
/// need it undefined (NaN): the two-tier ones without p_mid, the three-tier one without p_small
/// or p_mid. Random and oracle do not depend on the model and are always given.
/// </summary>
public static class RoutingEvaluator
{
    public const double QualityTarget = 0.95;

    /// <summary>The share of a source's rows that must have all three tiers' scores for its three-tier cost to be given.</summary>
    public const double ThreeTierCoverage = 0.9;

    /// <summary>One evaluation per source, sources in order of first appearance.</summary>
    /// <exception cref="ClassifierModelException">A prediction is infinite or outside [0, 1].</exception>
    public static IReadOnlyList<SourceEvaluation> Evaluate(IReadOnlyList<RoutingRow> rows, IReadOnlyList<float[]> predictions, TierPrices? prices = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(predictions);
        if (rows.Count != predictions.Count) throw new ArgumentException("One prediction per row is needed.", nameof(predictions));
        ProbabilityCheck.Ensure(predictions, rows, "the model");
        prices ??= TierPrices.Default;
        var sources = new List<string>();
        var bySource = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            if (!bySource.TryGetValue(rows[i].Source, out var list))
            {
                bySource[rows[i].Source] = list = [];
                sources.Add(rows[i].Source);
            }

            list.Add(i);
        }

        var results = new List<SourceEvaluation>();
        foreach (var source in sources)
        {
            var evaluation = EvaluateSubset(source, bySource[source], rows, predictions, prices);
            if (evaluation is not null) results.Add(evaluation);
        }

        return results;
    }

    private static SourceEvaluation? EvaluateSubset(string name, List<int> subset, IReadOnlyList<RoutingRow> rows, IReadOnlyList<float[]> predictions, TierPrices prices)
    {
        var weak = new List<double>();
        var strong = new List<double>();
        var pMid = new List<double>();
        var three = new List<double[]>();
        var pSmall3 = new List<double>();
        var pMid3 = new List<double>();
        foreach (var i in subset)
        {
            var row = rows[i];
            if (row.Has(Tier.Mid) && row.Has(Tier.Frontier))
            {
                weak.Add(row.Score(Tier.Mid));
                strong.Add(row.Score(Tier.Frontier));
                pMid.Add(predictions[i][1]);
            }

            if (row.Has(Tier.Small) && row.Has(Tier.Mid) && row.Has(Tier.Frontier))
            {
                three.Add([row.Score(Tier.Small), row.Score(Tier.Mid), row.Score(Tier.Frontier)]);
                pSmall3.Add(predictions[i][0]);
                pMid3.Add(predictions[i][1]);
            }
        }

        if (weak.Count == 0) return null;
        var random = TwoTierCurve.Random(weak, strong);
        var oracle = TwoTierCurve.Oracle(weak, strong);
        double? modelThree = null, randomThree = null, oracleThree = null;
        if (three.Count > 0 && !CoversThreeTiers(three.Count, subset.Count))
        {
            modelThree = randomThree = oracleThree = double.NaN;
        }
        else if (three.Count > 0)
        {
            modelThree = pSmall3.Exists(double.IsNaN) || pMid3.Exists(double.IsNaN) ? double.NaN : ThreeTierRouting.ModelCostShare(three, pSmall3, pMid3, QualityTarget, prices);
            randomThree = ThreeTierRouting.RandomCostShare(three, QualityTarget, prices);
            oracleThree = ThreeTierRouting.OracleCostShare(three, QualityTarget, prices);
        }

        var model = pMid.Exists(double.IsNaN)
            ? new RouterFigures(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, modelThree)
            : Figures(TwoTierCurve.FromScores(weak, strong, pMid), prices, modelThree);
        return new SourceEvaluation(
            name,
            weak.Count,
            random.WeakQuality,
            random.StrongQuality,
            model,
            Figures(random, prices, randomThree),
            Figures(oracle, prices, oracleThree),
            MidNotJudged: pMid.Count(double.IsNaN),
            ThreeTierRows: three.Count,
            SmallNotJudged: pSmall3.Count(double.IsNaN),
            SourceRows: subset.Count);
    }

    /// <summary>Whether <paramref name="threeTierRows"/> of a source's <paramref name="sourceRows"/> are enough for its three-tier cost (<see cref="ThreeTierCoverage"/>).</summary>
    public static bool CoversThreeTiers(int threeTierRows, int sourceRows) => threeTierRows * 10 >= sourceRows * 9;

    private static RouterFigures Figures(TwoTierCurve curve, TierPrices prices, double? threeTier) => new(
        curve.Apgr(),
        curve.Cpt(0.5),
        curve.Cpt(0.8),
        curve.StrongCallCutAt(QualityTarget),
        curve.CostShareAt(QualityTarget, prices.Mid, prices.Frontier),
        threeTier);
}
