using RightSize.Training.Model;

namespace RightSize.Training.Onnx;

/// <summary>
/// The weights of a <see cref="SparseModel"/> as the exported graph uses them, with the Platt
/// calibration (z ↦ scale·z + offset per output) folded into the last linear layer.
/// </summary>
/// <remarks>
/// A hidden-layer model's last layer writes "terms", laid out so that two reductions give the
/// monotone logits [min(z_small, z_mid), z_mid] with no other nodes:
/// <code>
/// plain: terms [2, 2]    = [[z_small, z_mid], [z_mid, z_mid]]                      logits = min over the last axis
/// gated: terms [2, 2, 3] = [[[z_small, z_mid, t_plain], [z_mid, t_plain, z_mid]],
///                           [[z_small, z_gated, t_gated], [z_gated, t_gated, z_gated]]]   logits = max over axis 0 of that
/// </code>
/// A gated model carries one more embedding column, 1 at the gate slot only, so its last hidden
/// unit is the gate's value g (0 or 1). The gate terms are t_plain = R − 2R·g and t_gated = 2R·g − R
/// with R = <see cref="GateReach"/>: the branch the gate picks has t = +R, which clips nothing that
/// changes a probability, and the other has t = −R, which its maximum then discards.
/// </remarks>
internal sealed class FoldedWeights
{
    /// <summary>
    /// How far the gate terms reach. The sigmoid of ±2048 is exactly 1 or 0 in float, so clamping
    /// a logit into [−R, R] changes no probability; a power of two keeps the gate terms exact.
    /// </summary>
    public const float GateReach = 2048f;

    private const int Small = 0;
    private const int Mid = 1;
    private const int MidGated = 2;
    private const int GatePlain = 3;
    private const int GateGated = 4;

    private static readonly int[] PlainLayout = [Small, Mid, Mid, Mid];

    private static readonly int[] GatedLayout =
    [
        Small, Mid, GatePlain, Mid, GatePlain, Mid,
        Small, MidGated, GateGated, MidGated, GateGated, MidGated,
    ];

    private FoldedWeights(float[] embedding, int width, float[] hiddenBias, float[] outputWeights, float[] outputBias, long[] termShape)
    {
        Embedding = embedding;
        Width = width;
        HiddenBias = hiddenBias;
        OutputWeights = outputWeights;
        OutputBias = outputBias;
        TermShape = termShape;
    }

    /// <summary>[Dimension, Width], row-major.</summary>
    public float[] Embedding { get; }

    /// <summary>Columns of the embedding: the model's width, plus one for the gate.</summary>
    public int Width { get; }

    /// <summary>[Width] (hidden-layer models only).</summary>
    public float[] HiddenBias { get; }

    /// <summary>The last layer, [TermShape without its last axis, Width, last axis of TermShape], row-major (hidden-layer models only).</summary>
    public float[] OutputWeights { get; }

    /// <summary>[TermShape] for a hidden-layer model; [2] for a linear one.</summary>
    public float[] OutputBias { get; }

    /// <summary>The shape of the last layer's output: [2] (linear), [2, 2] (plain) or [2, 2, 3] (gated).</summary>
    public long[] TermShape { get; }

    /// <summary>Whether the terms have a branch axis for the gate.</summary>
    public bool HasGate => TermShape.Length == 3;

    /// <summary>The shape of <see cref="OutputWeights"/>.</summary>
    public long[] OutputWeightShape => [.. TermShape[..^1], Width, TermShape[^1]];

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
        float[] bias = [Calibrated(model, 0, model.OutputBias[0]), Calibrated(model, 1, model.OutputBias[1])];
        return new FoldedWeights(embedding, outputs, [], [], bias, [outputs]);
    }

    private static FoldedWeights Plain(SparseModel model)
    {
        var heads = Heads(model, model.HiddenSize, 2);
        return new FoldedWeights(model.Embedding, model.HiddenSize, model.HiddenBias, Arrange(heads, PlainLayout, 2), ArrangeBias(heads, PlainLayout), [2, 2]);
    }

    private static FoldedWeights Gated(SparseModel model)
    {
        var width = model.HiddenSize + 1;
        var heads = Heads(model, width, 5);
        heads.Weights[(model.HiddenSize * heads.Count) + GatePlain] = -2 * GateReach;
        heads.Weights[(model.HiddenSize * heads.Count) + GateGated] = 2 * GateReach;
        heads.Bias[GatePlain] = GateReach;
        heads.Bias[GateGated] = -GateReach;
        return new FoldedWeights(WithGateColumn(model), width, [.. model.HiddenBias, 0f], Arrange(heads, GatedLayout, 3), ArrangeBias(heads, GatedLayout), [2, 2, 3]);
    }

    /// <summary>The calibrated linear heads over the hidden units: z_small, z_mid and (gated) z_gated, then room for the gate terms.</summary>
    private static LinearHeads Heads(SparseModel model, int width, int count)
    {
        var outputs = model.Outputs;
        var heads = new LinearHeads(new float[width * count], new float[count], count);
        for (var j = 0; j < model.HiddenSize; j++)
        {
            for (var t = 0; t < outputs; t++)
            {
                heads.Weights[(j * count) + t] = Scale(model, t) * model.OutputWeights[(j * outputs) + t];
            }
        }

        for (var t = 0; t < outputs; t++) heads.Bias[t] = Calibrated(model, Math.Min(t, Mid), model.OutputBias[t]);
        return heads;
    }

    /// <summary>The gated mid head is a mid logit too, so it takes the mid calibration.</summary>
    private static float Scale(SparseModel model, int head) => model.CalibrationScale[Math.Min(head, Mid)];

    private static float Calibrated(SparseModel model, int output, float z) =>
        (model.CalibrationScale[output] * z) + model.CalibrationOffset[output];

    /// <summary>Lays the heads out as terms: for each group of <paramref name="terms"/> entries of the layout, a [Width, terms] block.</summary>
    private static float[] Arrange(LinearHeads heads, int[] layout, int terms)
    {
        var width = heads.Weights.Length / heads.Count;
        var result = new float[layout.Length * width];
        for (var group = 0; group < layout.Length / terms; group++)
        {
            for (var j = 0; j < width; j++)
            {
                for (var t = 0; t < terms; t++)
                {
                    result[(((group * width) + j) * terms) + t] = heads.Weights[(j * heads.Count) + layout[(group * terms) + t]];
                }
            }
        }

        return result;
    }

    private static float[] ArrangeBias(LinearHeads heads, int[] layout) => [.. layout.Select(head => heads.Bias[head])];

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

    /// <summary>Linear functions of the hidden units: weights [width, Count] row-major and a bias per head.</summary>
    private readonly record struct LinearHeads(float[] Weights, float[] Bias, int Count);
}
