using RightSize.Training.Onnx.Proto;

namespace RightSize.Training.Onnx;

/// <summary>
/// Appends nodes, initializers, inputs and outputs to a <see cref="GraphProto"/> in call order,
/// so the same calls always give the same graph (and the same bytes).
/// </summary>
internal sealed class OnnxGraphBuilder(string name)
{
    private readonly GraphProto _graph = new() { Name = name };
    private int _nodeCount;

    public GraphProto Graph => _graph;

    public void Input(string valueName, TensorProto.Types.DataType type, params OnnxDim[] shape) =>
        _graph.Input.Add(ValueInfo(valueName, type, shape));

    public void Output(string valueName, TensorProto.Types.DataType type, params OnnxDim[] shape) =>
        _graph.Output.Add(ValueInfo(valueName, type, shape));

    /// <summary>Adds a constant and returns its name, for use as a node input.</summary>
    public string Initializer(TensorProto tensor)
    {
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds one node with a single output and returns the output's name.</summary>
    public string Node(string opType, string output, IReadOnlyList<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto
        {
            OpType = opType,
            Name = $"{opType}_{_nodeCount++}",
        };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public static AttributeProto IntAttribute(string attributeName, long value) => new()
    {
        Name = attributeName,
        Type = AttributeProto.Types.AttributeType.Int,
        I = value,
    };

    public static AttributeProto IntsAttribute(string attributeName, params long[] values)
    {
        var attribute = new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string valueName, TensorProto.Types.DataType type, OnnxDim[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim.Symbol is null
                ? new TensorShapeProto.Types.Dimension { DimValue = dim.Size }
                : new TensorShapeProto.Types.Dimension { DimParam = dim.Symbol });
        }

        return new ValueInfoProto
        {
            Name = valueName,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape },
            },
        };
    }
}
