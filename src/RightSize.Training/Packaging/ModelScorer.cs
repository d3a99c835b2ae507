using RightSize.Features;
using RightSize.Training.Data;
using RightSize.Training.Model;

namespace RightSize.Training.Packaging;

/// <summary>Scores rows with the trainer's reference arithmetic (<see cref="SparseModelForward"/>).</summary>
public static class ModelScorer
{
    /// <summary>[p_small, p_mid] per row, in row order (parallel; each row's result does not depend on scheduling).</summary>
    public static float[][] Score(SparseModel model, FeatureExtractor extractor, IReadOnlyList<RoutingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(rows);
        var result = new float[rows.Count][];
        Parallel.For(
            0,
            rows.Count,
            () => new SparseFeatures(),
            (i, _, buffer) =>
            {
                extractor.Extract(rows[i].Prompt, buffer);
                var p = new float[SparseModel.OutputCount];
                SparseModelForward.Predict(model, buffer.IndicesSpan, buffer.ValuesSpan, p);
                result[i] = p;
                return buffer;
            },
            static _ => { });
        return result;
    }
}
