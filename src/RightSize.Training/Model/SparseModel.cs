namespace RightSize.Training.Model;

/// <summary>
/// The weights of a RightSize difficulty model: a sparse input layer over hashed feature
/// indices, an optional hidden layer, and one calibrated logistic output per cheaper tier
/// (small, mid). This is the ONNX contract v1; <c>OnnxModelExporter</c> writes exactly this
/// arithmetic and <see cref="SparseModelForward"/> is its reference implementation.
/// </summary>
/// <remarks>
/// <para>Input: <c>indices</c> (int64[N]) and <c>values</c> (float32[N]), a sparse feature vector.</para>
/// <para>h = sum_k values[k] * Embedding[indices[k], :]   (Embedding is Dimension x Width)</para>
/// <para>Linear (HiddenSize == 0): Width = 2, z = h + OutputBias.</para>
/// <para>MLP (HiddenSize &gt; 0): Width = HiddenSize, a = relu(h + HiddenBias), z = a · OutputWeights + OutputBias (OutputWeights is HiddenSize x 2, row-major).</para>
/// <para>Calibration: z'_t = CalibrationScale[t] * z_t + CalibrationOffset[t]; p = sigmoid(z').</para>
/// <para>Monotone: p_small = min(p_small, p_mid). Output <c>p_good</c> (float32[2]) = [p_small, p_mid].</para>
/// </remarks>
public sealed class SparseModel
{
    public const int OutputCount = 2;

    public required int Dimension { get; init; }

    public required int HiddenSize { get; init; }

    /// <summary>Dimension x Width, row-major; Width is HiddenSize, or 2 for a linear model.</summary>
    public required float[] Embedding { get; init; }

    /// <summary>HiddenSize entries; empty for a linear model.</summary>
    public float[] HiddenBias { get; init; } = [];

    /// <summary>HiddenSize x Outputs, row-major; empty for a linear model.</summary>
    public float[] OutputWeights { get; init; } = [];

    /// <summary>Outputs entries.</summary>
    public required float[] OutputBias { get; init; }

    /// <summary>
    /// With a hidden layer: a feature slot that gates the mid logit (-1: none). Gated models have
    /// three raw outputs [small, mid, mid gated]; g = the input's value at the slot (a 0/1
    /// structural slot, absent = 0) and z_mid = z1 + g·(z2 − z1).
    /// </summary>
    public int GateSlot { get; init; } = -1;

    /// <summary>Raw outputs before the gate: 3 for a gated model, else 2.</summary>
    public int Outputs => GateSlot >= 0 ? OutputCount + 1 : OutputCount;

    public float[] CalibrationScale { get; init; } = [1f, 1f];

    public float[] CalibrationOffset { get; init; } = [0f, 0f];

    public int Width => HiddenSize == 0 ? OutputCount : HiddenSize;

    /// <summary>Checks that every array has the size the contract gives it.</summary>
    public void Validate()
    {
        if (Dimension <= 0) throw new InvalidOperationException("Dimension must be positive.");
        if (HiddenSize < 0) throw new InvalidOperationException("HiddenSize must not be negative.");
        Check(Embedding, (long)Dimension * Width, nameof(Embedding));
        Check(HiddenBias, HiddenSize, nameof(HiddenBias));
        if (GateSlot >= Dimension || (GateSlot >= 0 && HiddenSize == 0)) throw new InvalidOperationException("GateSlot must be a slot of the input, with a hidden layer.");
        Check(OutputWeights, HiddenSize * Outputs, nameof(OutputWeights));
        Check(OutputBias, Outputs, nameof(OutputBias));
        Check(CalibrationScale, OutputCount, nameof(CalibrationScale));
        Check(CalibrationOffset, OutputCount, nameof(CalibrationOffset));
    }

    private static void Check(float[] array, long expected, string name)
    {
        if (array.LongLength != expected)
        {
            throw new InvalidOperationException($"{name} has {array.LongLength} entries; the contract needs {expected}.");
        }
    }
}
