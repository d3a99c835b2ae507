using Google.Protobuf;
using RightSize.Training.Model;
using RightSize.Training.Onnx.Proto;
using DataType = RightSize.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace RightSize.Training.Onnx;

/// <summary>
/// Writes a <see cref="SparseModel"/> as an ONNX model (contract v1) built from standard
/// operators only, so any ONNX runtime can execute it. The same weights always give the same bytes.
/// </summary>
/// <remarks>
/// The graph, with N the number of sparse entries and W the model width:
/// <code>
/// rows     = Gather(embedding[D,W], indices, axis 0)         [N,W]
/// h        = Squeeze(MatMul(Unsqueeze(values, [0]), rows), [0])   [W]   (= sum_k values[k] * rows[k,:])
/// linear:  z = h + output_bias                                [2]
/// MLP:     z = MatMul(Relu(h + hidden_bias), output_weights) + output_bias
/// gated:   the embedding has one more column, 1 at the gate slot (so h[W] = g, the slot's value),
///          with zero hidden bias and a zero output row; raw = [z0, z1, z2] and
///          z = Gather(raw, [0, 1]) + Gather(h, [W]) * (Gather(raw, [0, 2]) - Gather(raw, [0, 1]))
/// p        = Sigmoid(z * calibration_scale + calibration_offset)
/// p_good   = Min(p, Gather(p, [1, 1]))  = [min(p_small, p_mid), p_mid]   [2]
/// </code>
/// The weighted sum is a [1,N]x[N,W] MatMul rather than Mul + ReduceSum: the same sum, about
/// twice as fast in ONNX Runtime for a few thousand features.
/// </remarks>
public static class OnnxModelExporter
{
    /// <summary>Writes the model to <paramref name="output"/>.</summary>
    public static void Export(SparseModel model, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var proto = BuildModel(model);
        proto.WriteTo(output);
    }

    /// <summary>Returns the serialised model.</summary>
    public static byte[] ExportToBytes(SparseModel model) => BuildModel(model).ToByteArray();

    /// <summary>Writes the model to a file, replacing it; the directory must exist.</summary>
    public static void ExportToFile(SparseModel model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ExportToBytes(model);
        File.WriteAllBytes(path, bytes);
    }

    private static ModelProto BuildModel(SparseModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();

        var proto = new ModelProto
        {
            IrVersion = OnnxContract.IrVersion,
            ProducerName = OnnxContract.ProducerName,
            ProducerVersion = OnnxContract.ProducerVersion,
            Domain = "ai.rightsize",
            ModelVersion = OnnxContract.Version,
            DocString = "RightSize difficulty classifier: p_good = [P(small good enough), P(mid good enough)].",
            Graph = BuildGraph(model),
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OnnxContract.OpsetVersion });
        proto.MetadataProps.Add(Entry("rightsize.contract", OnnxContract.Version));
        proto.MetadataProps.Add(Entry("rightsize.dimension", model.Dimension));
        proto.MetadataProps.Add(Entry("rightsize.hidden_size", model.HiddenSize));
        if (model.GateSlot >= 0) proto.MetadataProps.Add(Entry("rightsize.gate_slot", model.GateSlot));
        return proto;
    }

    private static GraphProto BuildGraph(SparseModel model)
    {
        const int outputs = SparseModel.OutputCount;
        var g = new OnnxGraphBuilder("rightsize_difficulty");
        g.Input(OnnxContract.IndicesInput, DataType.Int64, OnnxDim.Named("N"));
        g.Input(OnnxContract.ValuesInput, DataType.Float, OnnxDim.Named("N"));

        var gated = model.GateSlot >= 0;
        var width = gated ? model.Width + 1 : model.Width;
        var embedding = g.Initializer(OnnxTensors.Float("embedding", gated ? WithGateColumn(model) : model.Embedding, model.Dimension, width));
        var axis0 = g.Initializer(OnnxTensors.Int64("axis_0", [0], 1));

        var rows = g.Node("Gather", "rows", [embedding, OnnxContract.IndicesInput], OnnxGraphBuilder.IntAttribute("axis", 0));
        var row = g.Node("Unsqueeze", "values_row", [OnnxContract.ValuesInput, axis0]);
        var summed = g.Node("MatMul", "hidden_row", [row, rows]);
        var hidden = g.Node("Squeeze", "hidden", [summed, axis0]);

        string logits;
        if (model.HiddenSize == 0)
        {
            var outputBias = g.Initializer(OnnxTensors.Float("output_bias", model.OutputBias, outputs));
            logits = g.Node("Add", "logits", [hidden, outputBias]);
        }
        else
        {
            var hiddenBias = g.Initializer(OnnxTensors.Float("hidden_bias", gated ? [.. model.HiddenBias, 0f] : model.HiddenBias, width));
            var outputWeights = g.Initializer(OnnxTensors.Float("output_weights", gated ? [.. model.OutputWeights, 0f, 0f, 0f] : model.OutputWeights, width, model.Outputs));
            var rawBias = g.Initializer(OnnxTensors.Float(gated ? "output_bias_raw" : "output_bias", model.OutputBias, model.Outputs));
            var preActivation = g.Node("Add", "hidden_biased", [hidden, hiddenBias]);
            var activation = g.Node("Relu", "hidden_activation", [preActivation]);
            var projected = g.Node("MatMul", "projected", [activation, outputWeights]);
            logits = g.Node("Add", gated ? "logits_raw" : "logits", [projected, rawBias]);
            if (gated)
            {
                var gateAt = g.Initializer(OnnxTensors.Int64("gate_at", [model.Width], 1));
                var plainPair = g.Initializer(OnnxTensors.Int64("plain_pair", [0, 1], outputs));
                var gatedPair = g.Initializer(OnnxTensors.Int64("gated_pair", [0, 2], outputs));
                var gate = g.Node("Gather", "gate", [hidden, gateAt], OnnxGraphBuilder.IntAttribute("axis", 0));
                var plain = g.Node("Gather", "logits_plain", [logits, plainPair], OnnxGraphBuilder.IntAttribute("axis", 0));
                var alternative = g.Node("Gather", "logits_gated", [logits, gatedPair], OnnxGraphBuilder.IntAttribute("axis", 0));
                var delta = g.Node("Sub", "logits_delta", [alternative, plain]);
                var shift = g.Node("Mul", "logits_shift", [gate, delta]);
                logits = g.Node("Add", "logits", [plain, shift]);
            }
        }

        var scale = g.Initializer(OnnxTensors.Float("calibration_scale", model.CalibrationScale, outputs));
        var offset = g.Initializer(OnnxTensors.Float("calibration_offset", model.CalibrationOffset, outputs));
        var scaled = g.Node("Mul", "logits_scaled", [logits, scale]);
        var calibrated = g.Node("Add", "logits_calibrated", [scaled, offset]);
        var probabilities = g.Node("Sigmoid", "p_raw", [calibrated]);

        // [min(p0, p1), min(p1, p1)] = [min(p_small, p_mid), p_mid]
        var midTwice = g.Initializer(OnnxTensors.Int64("mid_twice", [1, 1], outputs));
        var midPair = g.Node("Gather", "p_mid_pair", [probabilities, midTwice], OnnxGraphBuilder.IntAttribute("axis", 0));
        g.Node("Min", OnnxContract.Output, [probabilities, midPair]);
        g.Output(OnnxContract.Output, DataType.Float, OnnxDim.Fixed(outputs));
        return g.Graph;
    }

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

    private static StringStringEntryProto Entry(string key, int value) =>
        new() { Key = key, Value = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
