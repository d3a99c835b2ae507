using RightSize.Features;
using RightSize.Training.Model;

namespace RightSize.Training.Onnx;

/// <summary>
/// The weights of a <see cref="SparseModel"/> as the exported graph uses them: the Platt
/// calibration (z ↦ scale·z + offset per output) folded into the last linear layer, and every bias
/// carried by the embedding row of the <see cref="StructuralSlot.Bias"/> slot, which the extractor
/// sets to 1 in every vector. The graph then needs no nodes for either.
/// </summary>
/// <remarks>
/// A linear model adds its output biases to the Bias row. A hidden-layer model adds its hidden
/// biases to that row and has one more column, 1 at the Bias slot only, whose unit is therefore
/// always 1 and carries the last layer's biases. That last layer writes "terms", laid out so that
/// two reductions give the monotone logits [min(z_small, z_mid), z_mid]:
/// <code>
/// plain: terms [2, 2]    = [[z_small, z_mid], [z_mid, z_mid]]                      logits = min over the last axis
/// gated: terms [2, 2, 3] = [[[z_small, z_mid, t_plain], [z_mid, t_plain, z_mid]],
///                           [[z_small, z_gated, t_gated], [z_gated, t_gated, z_gated]]]   logits = max over axis 0 of that
/// </code>
/// A gated model has one more column again, 1 at the gate slot only, so that unit is the gate's
/// value g (0 or 1). The gate terms are t_plain = R − 2R·g and t_gated = 2R·g − R with
/// R = <see cref="GateReach"/>: the branch the gate picks has t = +R, which clips nothing that
/// changes a probability, and the other has t = −R, which its maximum then discards.
/// </remarks>
internal sealed class FoldedWeights
{
    /// <summary>The slot that is 1 in every vector the extractor writes, and so carries the biases.</summary>
    public const int BiasSlot = (int)StructuralSlot.Bias;

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

    private FoldedWeights(float[] embedding, int width, float[] outputWeights, long[] termShape)
    {
        Embedding = embedding;
        Width = width;
        OutputWeights = outputWeights;
        TermShape = termShape;
    }

    /// <summary>[Dimension, Width], row-major.</summary>
    public float[] Embedding { get; }

    /// <summary>Columns of the embedding: the outputs of a linear model; else the hidden units, the constant unit and (gated) the gate.</summary>
    public int Width { get; }

    /// <summary>The last layer, [TermShape without its last axis, Width, last axis of TermShape], row-major (hidden-layer models only).</summary>
    public float[] OutputWeights { get; }

    /// <summary>The shape of the last layer's output: [2, 2] (plain) or [2, 2, 3] (gated); empty for a linear model.</summary>
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

    /// <summary>The linear model's last layer is the embedding itself: each column takes its output's scale, the Bias row its calibrated bias.</summary>
    private static FoldedWeights Linear(SparseModel model)
    {
        const int outputs = SparseModel.OutputCount;
        var embedding = new float[model.Embedding.Length];
        for (var i = 0; i < embedding.Length; i++) embedding[i] = model.CalibrationScale[i % outputs] * model.Embedding[i];
        for (var t = 0; t < outputs; t++) embedding[(BiasSlot * outputs) + t] += Calibrated(model, t, model.OutputBias[t]);
        return new FoldedWeights(embedding, outputs, [], []);
    }

    private static FoldedWeights Plain(SparseModel model)
    {
        var heads = Heads(model, model.HiddenSize + 1, 2);
        return new FoldedWeights(WithUnitColumns(model, model.HiddenSize + 1), model.HiddenSize + 1, Arrange(heads, PlainLayout, 2), [2, 2]);
    }

    private static FoldedWeights Gated(SparseModel model)
    {
        var width = model.HiddenSize + 2;
        var heads = Heads(model, width, 5);
        var constant = model.HiddenSize;
        var gate = model.HiddenSize + 1;
        heads.Weights[(constant * heads.Count) + GatePlain] = GateReach;
        heads.Weights[(constant * heads.Count) + GateGated] = -GateReach;
        heads.Weights[(gate * heads.Count) + GatePlain] = -2 * GateReach;
        heads.Weights[(gate * heads.Count) + GateGated] = 2 * GateReach;
        var embedding = WithUnitColumns(model, width);
        embedding[((long)model.GateSlot * width) + gate] = 1f;
        return new FoldedWeights(embedding, width, Arrange(heads, GatedLayout, 3), [2, 2, 3]);
    }

    /// <summary>
    /// The calibrated linear heads over the units: z_small, z_mid and (gated) z_gated, then room for
    /// the gate terms; the constant unit's row holds the biases.
    /// </summary>
    private static LinearHeads Heads(SparseModel model, int width, int count)
    {
        var outputs = model.Outputs;
        var heads = new LinearHeads(new float[width * count], count);
        for (var j = 0; j < model.HiddenSize; j++)
        {
            for (var t = 0; t < outputs; t++)
            {
                heads.Weights[(j * count) + t] = Scale(model, t) * model.OutputWeights[(j * outputs) + t];
            }
        }

        var constant = model.HiddenSize;
        for (var t = 0; t < outputs; t++) heads.Weights[(constant * count) + t] = Calibrated(model, Math.Min(t, Mid), model.OutputBias[t]);
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

    /// <summary>
    /// The embedding widened to <paramref name="width"/> columns: the hidden units' columns with
    /// the hidden biases added to the Bias row, then the constant unit's column (1 at the Bias slot
    /// only), then zeros for any further unit.
    /// </summary>
    private static float[] WithUnitColumns(SparseModel model, int width)
    {
        var hidden = model.HiddenSize;
        var result = new float[(long)model.Dimension * width];
        for (var d = 0; d < model.Dimension; d++)
        {
            model.Embedding.AsSpan(d * hidden, hidden).CopyTo(result.AsSpan(d * width, hidden));
        }

        for (var j = 0; j < hidden; j++) result[(BiasSlot * width) + j] += model.HiddenBias[j];
        result[(BiasSlot * width) + hidden] = 1f;
        return result;
    }

    /// <summary>Linear functions of the units: weights [width, Count], row-major.</summary>
    private readonly record struct LinearHeads(float[] Weights, int Count);
}
