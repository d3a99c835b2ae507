namespace RightSize.Training.Model;

/// <summary>The reference forward pass of <see cref="SparseModel"/>, in the trainer's own arithmetic.</summary>
public static class SparseModelForward
{
    /// <summary>Computes [p_small, p_mid] for one sparse input; duplicate indices add up.</summary>
    public static void Predict(SparseModel model, ReadOnlySpan<long> indices, ReadOnlySpan<float> values, Span<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (indices.Length != values.Length) throw new ArgumentException("indices and values differ in length.", nameof(values));
        if (probabilities.Length < SparseModel.OutputCount) throw new ArgumentException("Need room for two outputs.", nameof(probabilities));

        var width = model.Width;
        Span<float> hidden = width <= 256 ? stackalloc float[width] : new float[width];
        hidden.Clear();
        for (var k = 0; k < indices.Length; k++)
        {
            var row = model.Embedding.AsSpan(checked((int)(indices[k] * width)), width);
            for (var j = 0; j < width; j++) hidden[j] += values[k] * row[j];
        }

        Span<float> z = stackalloc float[SparseModel.OutputCount];
        if (model.HiddenSize == 0)
        {
            for (var t = 0; t < SparseModel.OutputCount; t++) z[t] = hidden[t] + model.OutputBias[t];
        }
        else
        {
            var outputs = model.Outputs;
            Span<float> raw = stackalloc float[outputs];
            for (var t = 0; t < outputs; t++) raw[t] = model.OutputBias[t];
            for (var j = 0; j < model.HiddenSize; j++)
            {
                var a = MathF.Max(0f, hidden[j] + model.HiddenBias[j]);
                for (var t = 0; t < outputs; t++) raw[t] += a * model.OutputWeights[(j * outputs) + t];
            }

            z[0] = raw[0];
            z[1] = raw[1];
            if (model.GateSlot >= 0)
            {
                var sum = 0f;
                for (var k = 0; k < indices.Length; k++) if (indices[k] == model.GateSlot) sum += values[k];
                z[1] = raw[1] + (sum * (raw[2] - raw[1]));
            }
        }

        for (var t = 0; t < SparseModel.OutputCount; t++)
        {
            var calibrated = (model.CalibrationScale[t] * z[t]) + model.CalibrationOffset[t];
            probabilities[t] = 1f / (1f + MathF.Exp(-calibrated));
        }

        probabilities[0] = MathF.Min(probabilities[0], probabilities[1]);
    }
}
