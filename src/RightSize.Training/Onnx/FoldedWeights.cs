using RightSize.Training.Model;

namespace RightSize.Training.Onnx;

/// <summary>
/// The weights of a <see cref="SparseModel"/> as the exported graph uses them: the Platt
/// calibration (z ↦ scale·z + offset per output) folded into the last linear layer, and for a
/// gated model the gate slot as one more embedding column and the mid output's two variants as a
/// plain head plus a difference head. The graph then needs no nodes of its own for either.
/// </summary>
internal sealed class FoldedWeights
{
    /// <summary>Heads of a gated model's last layer: [z_small, z_mid, 0, z_mid_gated − z_mid].</summary>
    public const int GatedHeads = 4;

    private FoldedWeights(float[] embedding, int width, float[] hiddenBias, float[] outputWeights, float[] outputBias)
    {
        Embedding = embedding;
        Width = width;
        HiddenBias = hiddenBias;
        OutputWeights = outputWeights;
        OutputBias = outputBias;
    }

    /// <summary>[Dimension, Width], row-major.</summary>
    public float[] Embedding { get; }

    /// <summary>Columns of the embedding: the model's width, plus one for the gate.</summary>
    public int Width { get; }

    /// <summary>[Width] (hidden-layer models only).</summary>
    public float[] HiddenBias { get; }

    /// <summary>[Width, Heads], row-major (hidden-layer models only).</summary>
    public float[] OutputWeights { get; }

    /// <summary>[Heads].</summary>
    public float[] OutputBias { get; }

    /// <summary>Outputs of the last layer: 2, or <see cref="GatedHeads"/> for a gated model.</summary>
    public int Heads => OutputBias.Length;

    public static FoldedWeights Of(SparseModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.HiddenSize == 0) return Linear(model);
        return model.GateSlot >= 0 ? Gated(model) : Plain(model);
    }

    /// <summary>The linear model's last layer is the embedding itself: each column takes its output's scale.</summary>
    private static FoldedWeights Linear(SparseModel model)
    {
        const int outputs = SparseModel.OutputCount;
        var embedding = new float[model.Embedding.Length];
        for (var i = 0; i < embedding.Length; i++) embedding[i] = model.CalibrationScale[i % outputs] * model.Embedding[i];
        return new FoldedWeights(embedding, outputs, [], [], CalibratedBias(model));
    }

    private static FoldedWeights Plain(SparseModel model)
    {
        const int outputs = SparseModel.OutputCount;
        var weights = new float[model.HiddenSize * outputs];
        for (var i = 0; i < weights.Length; i++) weights[i] = model.CalibrationScale[i % outputs] * model.OutputWeights[i];
        return new FoldedWeights(model.Embedding, model.HiddenSize, model.HiddenBias, weights, CalibratedBias(model));
    }

    /// <summary>
    /// scale·(z_mid + g·(z_mid_gated − z_mid)) + offset = (scale·z_mid + offset) + g·scale·(z_mid_gated − z_mid):
    /// the plain mid head takes the offset, the difference head only the scale.
    /// </summary>
    private static FoldedWeights Gated(SparseModel model)
    {
        var outputs = model.Outputs;
        var (small, mid) = (model.CalibrationScale[0], model.CalibrationScale[1]);
        var weights = new float[(model.HiddenSize + 1) * GatedHeads]; // the gate column's row stays zero
        for (var j = 0; j < model.HiddenSize; j++)
        {
            var w = model.OutputWeights.AsSpan(j * outputs, outputs);
            var folded = weights.AsSpan(j * GatedHeads, GatedHeads);
            folded[0] = small * w[0];
            folded[1] = mid * w[1];
            folded[3] = mid * (w[2] - w[1]);
        }

        var b = model.OutputBias;
        float[] bias = [Calibrated(model, 0, b[0]), Calibrated(model, 1, b[1]), 0f, mid * (b[2] - b[1])];
        return new FoldedWeights(WithGateColumn(model), model.HiddenSize + 1, [.. model.HiddenBias, 0f], weights, bias);
    }

    private static float[] CalibratedBias(SparseModel model) =>
        [Calibrated(model, 0, model.OutputBias[0]), Calibrated(model, 1, model.OutputBias[1])];

    private static float Calibrated(SparseModel model, int output, float z) =>
        (model.CalibrationScale[output] * z) + model.CalibrationOffset[output];

    /// <summary>The embedding with one more column: 1 at the gate slot, 0 elsewhere.</summary>
    private static float[] WithGateColumn(SparseModel model)
    {
        var width = model.Width;
        var result = new float[(long)model.Dimension * (width + 1)];
        for (var d = 0; d < model.Dimension; d++)
        {
            model.Embedding.AsSpan(d * width, width).CopyTo(result.AsSpan(d * (width + 1), width));
        }

        result[((long)model.GateSlot * (width + 1)) + width] = 1f;
        return result;
    }
}
