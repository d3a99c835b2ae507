using RightSize.Training.Model;

namespace RightSize.Training.Training;

/// <summary>
/// The logistic model: one L2-regularised logistic regression per output (small, mid, and mid
/// for gated prompts), each fitted to convergence over all its rows at once by L-BFGS, with the
/// chat prior as a fixed offset on every logit. A head learns only from rows where its tier is
/// known; an output no training row labels is fitted to nothing and says "never good enough"
/// (see <see cref="OutputCoverage"/>). No randomness: the seed only picks the held-out rows used
/// for Platt calibration.
/// </summary>
/// <remarks>
/// The result is written in the hidden-layer form of the ONNX contract, so the exporter, the
/// reference forward pass and the gateway serve it unchanged: unit 0 is the chat prior, and
/// each output t has a unit u_t = relu(w_t·x + Lift) with output weight 1 and output bias
/// b_t − Lift. Lift (a power of two, at least 32 and at least twice the most negative w_t·x seen
/// in training) keeps the relu from clipping in practice, so z_t = w_t·x + b_t − Output·prior(x).
/// </remarks>
internal static class LogisticTrainer
{
    private const float MinimumLift = 32f;
    private const int MaxIterations = 500;
    private const double Tolerance = 1e-4;

    public static TrainingResult Train(FeaturizedRows data, int[] train, int[] heldOut, OutputCoverage coverage, TrainerOptions options, IProgress<TrainingProgress>? progress)
    {
        var dimension = options.Features.Schema.Dimension;
        var gated = coverage.Gated;
        var outputs = coverage.Outputs;
        var offsets = PriorOffsets(data, options.ChatPrior);
        var weights = new double[outputs][];
        for (var o = 0; o < outputs; o++)
        {
            weights[o] = new double[dimension + 1];
            if (coverage.IsTrained(o))
            {
                var rows = OutputCoverage.RowsOf(data, train, o, gated, options.GatedRowsTrainPlain);
                var objective = new LogisticObjective(data, rows, o == 0 ? 0 : 1, offsets, 1 / options.RegularizationC);
                Lbfgs.Minimize(objective.Evaluate, weights[o], MaxIterations, Tolerance);
            }

            progress?.Report(new TrainingProgress("fit", o + 1, outputs));
        }

        double Logit(int row, int head)
        {
            var o = data.OutputFor(row, head, gated);
            return coverage.IsTrained(o) ? offsets[row] + Score(data, row, weights[o]) : OutputCoverage.UntrainedLogit;
        }

        progress?.Report(new TrainingProgress("calibrate", 0, 1));
        var (scale, offset) = SparseTrainer.Calibrate(Logit, data, heldOut, coverage);
        var loss = SparseTrainer.HeldOutLoss(Logit, data, heldOut);
        progress?.Report(new TrainingProgress("calibrate", 1, 1));
        var model = ToModel(data, train, weights, coverage, options, scale, offset);
        model.Validate();
        return new TrainingResult(model, options.Features.Schema, train.Length, heldOut.Length, loss, [], options, coverage.Untrained);
    }

    /// <summary>Per row: −Output·prior(x), the chat prior's fixed contribution to every logit (0 without it).</summary>
    private static double[] PriorOffsets(FeaturizedRows data, bool enabled)
    {
        var offsets = new double[data.Count];
        if (!enabled) return offsets;
        for (var r = 0; r < data.Count; r++)
        {
            var indices = data.RowIndices(r);
            var values = data.RowValues(r);
            var sum = ChatPrior.Bias;
            for (var k = 0; k < indices.Length; k++)
            {
                foreach (var (slot, weight) in ChatPrior.Slots) if (indices[k] == slot) sum += weight * values[k];
            }

            offsets[r] = -ChatPrior.Output * MathF.Max(0f, sum);
        }

        return offsets;
    }

    /// <summary>w·x + b for one row; the bias is the last entry of w.</summary>
    internal static double Score(FeaturizedRows data, int row, ReadOnlySpan<double> w)
    {
        var indices = data.RowIndices(row);
        var values = data.RowValues(row);
        var z = w[^1];
        for (var k = 0; k < indices.Length; k++) z += values[k] * w[indices[k]];
        return z;
    }

    private static SparseModel ToModel(FeaturizedRows data, int[] train, double[][] weights, OutputCoverage coverage, TrainerOptions options, float[] scale, float[] offset)
    {
        var dimension = options.Features.Schema.Dimension;
        var outputs = weights.Length;
        var gated = coverage.Gated;
        var first = options.ChatPrior ? 1 : 0;
        var width = first + outputs;
        var embedding = new float[(long)dimension * width];
        var hiddenBias = new float[width];
        var outputWeights = new float[width * outputs];
        var outputBias = new float[outputs];
        if (options.ChatPrior)
        {
            foreach (var (slot, weight) in ChatPrior.Slots) embedding[(long)slot * width] = weight;
            hiddenBias[0] = ChatPrior.Bias;
            for (var t = 0; t < outputs; t++) outputWeights[t] = -ChatPrior.Output;
        }

        var lift = Lift(data, train, weights);
        for (var o = 0; o < outputs; o++)
        {
            var unit = first + o;
            if (!coverage.IsTrained(o))
            {
                // "Never good enough": no weight from any unit (its own stays 0 with no bias), only the bias.
                if (options.ChatPrior) outputWeights[o] = 0f;
                outputBias[o] = OutputCoverage.UntrainedLogit;
                continue;
            }

            for (var d = 0; d < dimension; d++) embedding[((long)d * width) + unit] = (float)weights[o][d];
            hiddenBias[unit] = lift;
            outputWeights[(unit * outputs) + o] = 1f;
            outputBias[o] = (float)(weights[o][^1] - lift);
        }

        return new SparseModel
        {
            Dimension = dimension,
            HiddenSize = width,
            Embedding = embedding,
            HiddenBias = hiddenBias,
            OutputWeights = outputWeights,
            OutputBias = outputBias,
            GateSlot = gated ? options.MidGateSlot : -1,
            CalibrationScale = scale,
            CalibrationOffset = offset,
        };
    }

    /// <summary>The smallest power of two from 32 up that is at least twice the most negative w·x (bias excluded) of any output on any training row.</summary>
    private static float Lift(FeaturizedRows data, int[] train, double[][] weights)
    {
        var lowest = 0.0;
        foreach (var w in weights)
        {
            foreach (var r in train) lowest = Math.Min(lowest, Score(data, r, w) - w[^1]);
        }

        var lift = MinimumLift;
        while (lift < -lowest * 2) lift *= 2;
        return lift;
    }
}
