using RightSize.Classification;
using RightSize.Training.Evaluation;

namespace RightSize.Training.Tests;

public class ProbabilityCheckTests
{
    [Fact]
    public void Ensure_NaN_PassesAsATierTheModelDoesNotJudge()
    {
        var rows = TestRows.Synthetic(2);
        var refused = Record.Exception(() => ProbabilityCheck.Ensure([[float.NaN, 0.4f], [float.NaN, float.NaN]], rows, "m.onnx"));

        Assert.Null(refused);
    }

    [Theory]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    [InlineData(1.5f, "1.5")]
    [InlineData(-0.25f, "-0.25")]
    public void Ensure_InfiniteOrOutOfRange_RefusedNamingModelRowAndValue(float bad, string shown)
    {
        var rows = TestRows.Synthetic(3);

        var ex = Assert.Throws<ClassifierModelException>(() => ProbabilityCheck.Ensure([[0.1f, 0.2f], [0.1f, 0.2f], [0.1f, bad]], rows, "m.onnx"));

        Assert.Equal($"m.onnx: p_mid is {shown} for row 3 (id r2); a probability must be between 0 and 1 (or NaN for a tier the model does not judge)", ex.Message);
    }
}
