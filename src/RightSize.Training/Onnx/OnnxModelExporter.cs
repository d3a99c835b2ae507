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
/// <see cref="FoldedWeights"/> has folded the calibration into the last layer and the biases into
/// the embedding row of the Bias slot (1 in every vector the extractor writes):
/// <code>
/// rows    = Gather(embedding[D,W], indices, axis 0)           [N,W]
/// h       = MatMul(values, rows)                               [W]    (= sum_k values[k] * rows[k,:])
/// linear: p_good = Sigmoid(Min(h, Gather(h, [1, 1])))          [2]    (= [min(p_small, p_mid), p_mid])
/// MLP:    terms  = MatMul(Relu(h), output_weights)             [2, 2] or, gated, [2, 2, 3]
///         p_good = Sigmoid(ReduceMin(terms, last axis))                                [2]
///         gated: p_good = Sigmoid(ReduceMax(ReduceMin(terms, last axis), axis 0))     [2]
/// </code>
/// The weighted sum is one vector-matrix MatMul rather than Mul + ReduceSum: the same sum, about
/// twice as fast in ONNX Runtime for a few thousand features. The last layer writes its outputs
/// laid out so that the monotone minimum, and a gated model's choice between its two mid heads,
/// are one or two reductions (see <see cref="FoldedWeights"/>). That keeps the graph at 5
/// (linear), 6 (MLP) or 7 (gated) nodes, which matters because ONNX Runtime's per-node cost is a
/// good part of a call.
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

        if (model.HiddenSize == 0)
        {
            // [min(z0, z1), min(z1, z1)] = [min(z_small, z_mid), z_mid]; the sigmoid keeps the order.
            var midTwice = g.Initializer(OnnxTensors.Int64("mid_twice", [1, 1], SparseModel.OutputCount));
            var midPair = g.Node("Gather", "logits_mid_pair", [hidden, midTwice], OnnxGraphBuilder.IntAttribute("axis", 0));
            g.Node("Sigmoid", OnnxContract.Output, [g.Node("Min", "logits_monotone", [hidden, midPair])]);
        }
        else
        {
            g.Node("Sigmoid", OnnxContract.Output, [HiddenLayer(g, folded, hidden)]);
        }

        g.Output(OnnxContract.Output, DataType.Float, OnnxDim.Fixed(SparseModel.OutputCount));
        return g.Graph;
    }

    /// <summary>Relu(h) through the last layer's terms, reduced to the monotone logits.</summary>
    private static string HiddenLayer(OnnxGraphBuilder g, FoldedWeights folded, string hidden)
    {
        var outputWeights = g.Initializer(OnnxTensors.Float("output_weights", folded.OutputWeights, folded.OutputWeightShape));
        var activation = g.Node("Relu", "hidden_activation", [hidden]);
        var terms = g.Node("MatMul", "terms", [activation, outputWeights]);
        var monotone = g.Node("ReduceMin", "logits_monotone", [terms], OnnxGraphBuilder.IntsAttribute("axes", -1), OnnxGraphBuilder.IntAttribute("keepdims", 0));
        return folded.HasGate
            ? g.Node("ReduceMax", "logits_gated", [monotone], OnnxGraphBuilder.IntsAttribute("axes", 0), OnnxGraphBuilder.IntAttribute("keepdims", 0))
            : monotone;
    }

    private static StringStringEntryProto Entry(string key, int value) =>
        new() { Key = key, Value = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
