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
/// The graph, with N the number of sparse entries and W the embedding width, after
/// <see cref="FoldedWeights"/> has folded the calibration into the last layer:
/// <code>
/// rows    = Gather(embedding[D,W], indices, axis 0)           [N,W]
/// h       = MatMul(values, rows)                               [W]    (= sum_k values[k] * rows[k,:])
/// linear: z = h + output_bias                                  [2]
/// MLP:    z = MatMul(Relu(h + hidden_bias), output_weights) + output_bias     [2]
/// gated:  the embedding has one more column, 1 at the gate slot, so h[W - 1] = g (the slot's value);
///         the last layer writes four heads [z_small, z_mid, 0, d] with d = z_mid_gated - z_mid and
///         z = MatMul(Concat([1], Gather(h, [W - 1])), Reshape(heads, [2, 2]))  = [z_small, z_mid + g d]
/// p_good  = Sigmoid(Min(z, Gather(z, [1, 1])))                 [2]    (= [min(p_small, p_mid), p_mid])
/// </code>
/// The weighted sum is one vector-matrix MatMul rather than Mul + ReduceSum: the same sum, about
/// twice as fast in ONNX Runtime for a few thousand features. Folding the calibration and mixing
/// the gate with one small MatMul keep the graph at 6 (linear), 9 (MLP) or 13 (gated) nodes, which
/// matters because ONNX Runtime's per-node cost is a good part of a call.
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
        var g = new OnnxGraphBuilder("rightsize_difficulty");
        g.Input(OnnxContract.IndicesInput, DataType.Int64, OnnxDim.Named("N"));
        g.Input(OnnxContract.ValuesInput, DataType.Float, OnnxDim.Named("N"));

        var folded = FoldedWeights.Of(model);
        var embedding = g.Initializer(OnnxTensors.Float("embedding", folded.Embedding, model.Dimension, folded.Width));
        var rows = g.Node("Gather", "rows", [embedding, OnnxContract.IndicesInput], OnnxGraphBuilder.IntAttribute("axis", 0));
        var hidden = g.Node("MatMul", "hidden", [OnnxContract.ValuesInput, rows]);

        var logits = model.HiddenSize == 0
            ? g.Node("Add", "logits", [hidden, g.Initializer(OnnxTensors.Float("output_bias", folded.OutputBias, folded.Heads))])
            : HiddenLayer(g, model, folded, hidden);

        // [min(z0, z1), min(z1, z1)] = [min(z_small, z_mid), z_mid]; the sigmoid keeps the order.
        var midTwice = g.Initializer(OnnxTensors.Int64("mid_twice", [1, 1], SparseModel.OutputCount));
        var midPair = g.Node("Gather", "logits_mid_pair", [logits, midTwice], OnnxGraphBuilder.IntAttribute("axis", 0));
        var monotone = g.Node("Min", "logits_monotone", [logits, midPair]);
        g.Node("Sigmoid", OnnxContract.Output, [monotone]);
        g.Output(OnnxContract.Output, DataType.Float, OnnxDim.Fixed(SparseModel.OutputCount));
        return g.Graph;
    }

    /// <summary>Relu(h + hidden_bias) through the last layer; for a gated model, the gate mixes the mid heads.</summary>
    private static string HiddenLayer(OnnxGraphBuilder g, SparseModel model, FoldedWeights folded, string hidden)
    {
        var hiddenBias = g.Initializer(OnnxTensors.Float("hidden_bias", folded.HiddenBias, folded.Width));
        var outputWeights = g.Initializer(OnnxTensors.Float("output_weights", folded.OutputWeights, folded.Width, folded.Heads));
        var outputBias = g.Initializer(OnnxTensors.Float("output_bias", folded.OutputBias, folded.Heads));
        var preActivation = g.Node("Add", "hidden_biased", [hidden, hiddenBias]);
        var activation = g.Node("Relu", "hidden_activation", [preActivation]);
        var projected = g.Node("MatMul", "projected", [activation, outputWeights]);
        if (model.GateSlot < 0) return g.Node("Add", "logits", [projected, outputBias]);

        // [1, g] x [[z_small, z_mid], [0, d]] = [z_small, z_mid + g·d]
        var heads = g.Node("Add", "heads", [projected, outputBias]);
        var one = g.Initializer(OnnxTensors.Float("one", [1f], 1));
        var gateAt = g.Initializer(OnnxTensors.Int64("gate_at", [model.Width], 1));
        var square = g.Initializer(OnnxTensors.Int64("square", [2, 2], 2));
        var gate = g.Node("Gather", "gate", [hidden, gateAt], OnnxGraphBuilder.IntAttribute("axis", 0));
        var mixer = g.Node("Concat", "gate_row", [one, gate], OnnxGraphBuilder.IntAttribute("axis", 0));
        var matrix = g.Node("Reshape", "heads_square", [heads, square]);
        return g.Node("MatMul", "logits", [mixer, matrix]);
    }

    private static StringStringEntryProto Entry(string key, int value) =>
        new() { Key = key, Value = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
