namespace RightSize.Training.Training;

/// <summary>
/// Σ_rows [softplus(z) − t·z] + ½ λ Σ_d w_d², z = w·x + b + offset(row): the log loss of one
/// logistic output against soft targets t, with L2 strength λ on the weights (not the bias).
/// Rows are visited in a fixed order, so the value and gradient are the same bit for bit on every run.
/// </summary>
internal sealed class LogisticObjective(FeaturizedRows data, int[] rows, int head, double[] offsets, double lambda)
{
    public double Evaluate(ReadOnlySpan<double> w, Span<double> gradient)
    {
        gradient.Clear();
        double loss = 0;
        foreach (var r in rows)
        {
            var t = data.Target(r, head);
            var z = offsets[r] + LogisticTrainer.Score(data, r, w);
            loss += Softplus(z) - (t * z);
            var d = PlattScaling.Sigmoid(z) - t;
            var indices = data.RowIndices(r);
            var values = data.RowValues(r);
            for (var k = 0; k < indices.Length; k++) gradient[indices[k]] += d * values[k];
            gradient[^1] += d;
        }

        for (var i = 0; i < w.Length - 1; i++)
        {
            loss += 0.5 * lambda * w[i] * w[i];
            gradient[i] += lambda * w[i];
        }

        return loss;
    }

    private static double Softplus(double z) => z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
}
