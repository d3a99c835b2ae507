using System.Globalization;
using RightSize.Classification;
using RightSize.Classification.Models;
using RightSize.Training.Data;

namespace RightSize.Training.Evaluation;

/// <summary>
/// A model (a dropped-in one, or one trained into nonsense) may give anything; the measures,
/// scores and thresholds need probabilities. One check for every verb, naming the model and the
/// row. NaN passes: it is how a model says it does not judge a tier, which the gateway accepts
/// (DecisionPolicy skips the tier) and every verb reports as not judged.
/// </summary>
public static class ProbabilityCheck
{
    /// <exception cref="ClassifierModelException">A probability is infinite or outside [0, 1].</exception>
    public static void Ensure(IReadOnlyList<float[]> probabilities, IReadOnlyList<RoutingRow> rows, string model)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(rows);
        for (var i = 0; i < probabilities.Count; i++)
        {
            for (var k = 0; k < probabilities[i].Length; k++)
            {
                var p = probabilities[i][k];
                if (p is >= 0 and <= 1 || float.IsNaN(p)) continue;
                var row = rows[i];
                var where = row.File is null ? $"row {i + 1}" : $"{row.File}:{row.Line}";
                throw new ClassifierModelException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{model}: p_{ModelManifest.ContractLabels[k]} is {p} for {where} (id {row.Id}); a probability must be between 0 and 1 (or NaN for a tier the model does not judge)"));
            }
        }
    }
}
