using Google.Protobuf;
using RightSize.Classification.Models;
using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.Training.Onnx.Proto;

namespace RightSize.Classification.Tests.Onnx;

/// <summary>
/// Graphs with the contract's names and element types whose output is not float32[2]: refused
/// when the model loads, never on a request.
/// </summary>
public sealed class BrokenGraphTests
{
    private static readonly FeatureExtractor Extractor = TestModelDirectory.SmallExtractor;

    [Fact]
    public void Load_OutputOfRankTwo_IsRefusedAtLoad()
    {
        using var dir = ModelWithOutput("Unsqueeze", [1, 2], graph => graph.Initializer.Add(Int64Tensor("axes", 0)), "axes");

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains("'p_good' of rank 2", ex.Message);
        Assert.Contains(ModelFiles.Model, ex.Message);
    }

    [Fact]
    public void Load_OutputOfFourProbabilities_FailsItsProbeRunAtLoad()
    {
        using var dir = ModelWithOutput("Concat", [4], _ => { }, "p_flat", ("axis", 0));

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains("fails when run", ex.Message);
        Assert.Contains(ModelFiles.Model, ex.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // a dropped-in model may come without golden vectors
    public void Load_EmbeddingShorterThanTheManifestsDimension_IsRefusedAtLoad(bool withGoldenVectors)
    {
        using var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 31);
        if (!withGoldenVectors) File.Delete(dir.File(ModelFiles.GoldenVectors));
        var path = dir.File(ModelFiles.Model);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var embedding = model.Graph.Initializer.Single(t => t.Name == "embedding");
        const int rows = 300;
        embedding.RawData = ByteString.CopyFrom(embedding.RawData.Span[..(rows * (int)embedding.Dims[1] * sizeof(float))]);
        embedding.Dims[0] = rows;
        File.WriteAllBytes(path, model.ToByteArray());

        var ex = Assert.Throws<ClassifierModelException>(() => OnnxDifficultyClassifier.Load(dir.Path, Extractor));

        Assert.Contains("fails when run", ex.Message);
        Assert.Contains($"index {Extractor.Schema.Dimension - 1}", ex.Message);
    }

    /// <summary>
    /// A trainer-written model whose last node now writes <c>p_flat</c>, followed by one more node
    /// (<paramref name="op"/> over p_flat and <paramref name="secondInput"/>) that writes the
    /// declared output with the given shape.
    /// </summary>
    private static TempDirectory ModelWithOutput(string op, long[] shape, Action<GraphProto> addInitializers, string secondInput, (string Name, long Value)? attribute = null)
    {
        var dir = new TempDirectory();
        TestModelDirectory.Write(dir.Path, Extractor, 0, seed: 31);
        var path = dir.File(ModelFiles.Model);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var graph = model.Graph;
        var output = graph.Output[0];
        var last = graph.Node.Single(n => n.Output.Contains(output.Name));
        last.Output[last.Output.IndexOf(output.Name)] = "p_flat";
        addInitializers(graph);
        var node = new NodeProto { OpType = op, Name = "reshaped_output" };
        node.Input.Add("p_flat");
        node.Input.Add(secondInput);
        node.Output.Add(output.Name);
        if (attribute is { } a) node.Attribute.Add(new AttributeProto { Name = a.Name, Type = AttributeProto.Types.AttributeType.Int, I = a.Value });
        graph.Node.Add(node);
        var dims = output.Type.TensorType.Shape.Dim;
        dims.Clear();
        foreach (var size in shape) dims.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
        File.WriteAllBytes(path, model.ToByteArray());
        return dir;
    }

    private static TensorProto Int64Tensor(string name, long value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(1);
        tensor.Int64Data.Add(value);
        return tensor;
    }
}
