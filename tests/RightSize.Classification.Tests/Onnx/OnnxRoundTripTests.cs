using RightSize.Classification.Onnx;
using RightSize.Training.Model;
using RightSize.Training.Onnx;

namespace RightSize.Classification.Tests.Onnx;

public sealed class OnnxRoundTripTests : IDisposable
{
    private const double Tolerance = 1e-5;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, 500, 1)]
    [InlineData(0, 4096, 2)]
    [InlineData(8, 300, 3)]
    [InlineData(32, 2048, 4)]
    public void Predict_RandomModelAndInputs_MatchesReferenceForward(int hiddenSize, int dimension, int seed)
    {
        var model = RandomModels.Create(seed, dimension, hiddenSize);
        using var session = Export(model, dimension);

        var random = new Random(seed * 31);
        var expected = new float[2];
        var actual = new float[2];
        var worst = 0.0;
        for (var trial = 0; trial < 300; trial++)
        {
            var count = trial switch { 0 => 1, 1 => 2, _ => 1 + random.Next(trial % 10 == 0 ? 2000 : 80) };
            var (indices, values) = RandomModels.Input(random, dimension, count, unique: trial % 3 != 0);
            SparseModelForward.Predict(model, indices, values, expected);
            session.Predict(indices, values, actual);
            worst = Math.Max(worst, Math.Max(Math.Abs(expected[0] - actual[0]), Math.Abs(expected[1] - actual[1])));
            Assert.True(actual[0] <= actual[1], $"p_small {actual[0]} exceeds p_mid {actual[1]}");
        }

        Assert.InRange(worst, 0, Tolerance);
    }

    [Fact]
    public void Predict_DuplicateIndices_AddUp()
    {
        var model = RandomModels.Create(5, 64, 0);
        using var session = Export(model, 64);

        var twice = new float[2];
        var doubled = new float[2];
        session.Predict([7, 7], [0.25f, 0.5f], twice);
        session.Predict([7], [0.75f], doubled);

        Assert.Equal(doubled[0], twice[0], 1e-6);
        Assert.Equal(doubled[1], twice[1], 1e-6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Predict_BiasSlotOnly_MatchesReferenceForward(int hiddenSize)
    {
        var model = RandomModels.Create(6, 64, hiddenSize);
        using var session = Export(model, 64);

        var expected = new float[2];
        var actual = new float[2];
        SparseModelForward.Predict(model, [0], [1f], expected);
        session.Predict([0], [1f], actual);

        Assert.Equal(expected[0], actual[0], Tolerance);
        Assert.Equal(expected[1], actual[1], Tolerance);
    }

    [Fact]
    public void Predict_EmptyInput_IsTheZeroVector()
    {
        var model = RandomModels.Create(6, 64, 4);
        using var session = Export(model, 64);

        var empty = new float[2];
        var zero = new float[2];
        session.Predict([], [], empty);
        session.Predict([5], [0f], zero);

        Assert.Equal(zero, empty);
    }

    [Fact]
    public void Predict_IndexOutsideDimension_Throws()
    {
        var model = RandomModels.Create(7, 16, 0);
        using var session = Export(model, 16);

        Assert.Throws<ArgumentOutOfRangeException>(() => session.Predict([16], [1f], new float[2]));
    }

    /// <summary>Writes the model with the exporter and opens it as the gateway does.</summary>
    private SparseOnnxSession Export(SparseModel model, int dimension)
    {
        var path = _dir.File($"model-{Guid.NewGuid():N}.onnx");
        OnnxModelExporter.ExportToFile(model, path);
        return SparseOnnxSession.Open(path, dimension);
    }
}
