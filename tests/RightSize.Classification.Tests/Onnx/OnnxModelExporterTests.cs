using RightSize.Classification.Onnx;
using RightSize.Training.Onnx;

namespace RightSize.Classification.Tests.Onnx;

public sealed class OnnxModelExporterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void ExportToBytes_SameWeightsTwice_GivesSameBytes(int hiddenSize)
    {
        var first = OnnxModelExporter.ExportToBytes(RandomModels.Create(11, 1000, hiddenSize));
        var second = OnnxModelExporter.ExportToBytes(RandomModels.Create(11, 1000, hiddenSize));

        Assert.Equal(first, second);
    }

    [Fact]
    public void ExportToBytes_DifferentWeights_GivesDifferentBytes()
    {
        var first = OnnxModelExporter.ExportToBytes(RandomModels.Create(11, 1000, 0));
        var second = OnnxModelExporter.ExportToBytes(RandomModels.Create(12, 1000, 0));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Export_Stream_EqualsExportToBytes()
    {
        var model = RandomModels.Create(13, 200, 4);
        using var stream = new MemoryStream();
        OnnxModelExporter.Export(model, stream);

        Assert.Equal(OnnxModelExporter.ExportToBytes(model), stream.ToArray());
    }

    [Fact]
    public void Export_InvalidModel_Throws()
    {
        var model = RandomModels.Create(14, 200, 4);
        var broken = new Training.Model.SparseModel
        {
            Dimension = model.Dimension,
            HiddenSize = model.HiddenSize,
            Embedding = model.Embedding[..^1],
            HiddenBias = model.HiddenBias,
            OutputWeights = model.OutputWeights,
            OutputBias = model.OutputBias,
        };

        Assert.Throws<InvalidOperationException>(() => OnnxModelExporter.ExportToBytes(broken));
    }

    [Fact]
    public void Open_ExportedModel_HonoursContractNames()
    {
        using var dir = new TempDirectory();
        var path = dir.File("model.onnx");
        OnnxModelExporter.ExportToFile(RandomModels.Create(15, 50, 0), path);

        using var session = SparseOnnxSession.Open(path, 50, OnnxContract.IndicesInput, OnnxContract.ValuesInput, OnnxContract.Output);

        Assert.Equal(50, session.Dimension);
    }
}
