using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.Training.Model;
using RightSize.Training.Onnx;
using RightSize.Training.Training;

namespace RightSize.Training.Tests;

/// <summary>The logistic model travels in the hidden-layer form of the contract: ONNX Runtime must agree with the reference forward pass.</summary>
public class LogisticOnnxRoundTripTests
{
    [Fact]
    public void Predict_TrainedLogisticModel_OnnxRuntimeMatchesReferenceForward()
    {
        var rows = TestRows.Synthetic(200);
        var model = SparseTrainer.Train(rows, new TrainerOptions { Seed = 3, HiddenSize = 0 }).Model;
        var distinct = new HashSet<float>();
        foreach (var (expected, actual) in OnnxAgreement.Predict(model, rows))
        {
            Assert.Equal(expected[0], actual[0], 1e-5);
            Assert.Equal(expected[1], actual[1], 1e-5);
            distinct.Add(MathF.Round(actual[1], 3));
        }

        Assert.True(distinct.Count >= 2, "the model should not score every row alike");
    }
}
