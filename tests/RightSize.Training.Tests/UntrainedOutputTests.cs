using RightSize.Classification.Onnx;
using RightSize.Features;
using RightSize.OpenAI.Chat;
using RightSize.Training.Data;
using RightSize.Training.Model;
using RightSize.Training.Onnx;
using RightSize.Training.Training;

namespace RightSize.Training.Tests;

/// <summary>
/// An output no training row labels has learned nothing: the model must say its tier is never
/// good enough, not whatever its initial weights (or w = 0 and the chat prior) say.
/// </summary>
public class UntrainedOutputTests
{
    private const string Easy = "say hello to friend number 1001";
    private const string Hard = "prove the theorem about integral number 1002 step by step";
    private const string FiveOptions = "\nA. one\nB. two\nC. three\nD. four\nE. five";

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Train_NoSmallScoreAnywhere_SmallIsNeverGoodEnough(int hiddenSize)
    {
        var result = SparseTrainer.Train(TestRows.Synthetic(200, withSmall: false), Options(hiddenSize));

        var easy = Predict(result.Model, Easy);
        var hard = Predict(result.Model, Hard);
        Assert.True(easy[0] < 1e-6f && hard[0] < 1e-6f, $"p_small {easy[0]} (easy), {hard[0]} (hard) from an output no row trained");
        Assert.True(easy[1] > hard[1] + 0.2f, $"the mid output still learns: easy {easy[1]}, hard {hard[1]}");
        Assert.Equal(["small"], result.UntrainedOutputs);
        Assert.StartsWith("small: no training row has a small score", Assert.Single(result.Notes()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Train_NoSmallScoreAnywhere_SmallOutputHasOnlyANegativeBias(int hiddenSize)
    {
        var model = SparseTrainer.Train(TestRows.Synthetic(200, withSmall: false), Options(hiddenSize)).Model;

        for (var j = 0; j < model.HiddenSize; j++) Assert.Equal(0f, model.OutputWeights[j * model.Outputs]);
        Assert.True(model.OutputBias[0] <= -1000f, $"small bias {model.OutputBias[0]}");
        Assert.Equal([1f, 0f], [model.CalibrationScale[0], model.CalibrationOffset[0]]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Predict_UntrainedSmall_OnnxRuntimeMatchesReferenceForward(int hiddenSize)
    {
        var rows = TestRows.Synthetic(200, withSmall: false);
        var model = SparseTrainer.Train(rows, Options(hiddenSize)).Model;
        foreach (var (expected, actual) in OnnxAgreement.Predict(model, rows.Take(40)))
        {
            Assert.Equal(expected[1], actual[1], 1e-5);
            Assert.Equal(0f, expected[0]);
            Assert.Equal(0f, actual[0]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Train_SmallScoresPresent_NothingUntrained(int hiddenSize)
    {
        var result = SparseTrainer.Train(TestRows.Synthetic(200), Options(hiddenSize));

        Assert.Empty(result.UntrainedOutputs);
        Assert.Empty(result.Notes());
        Assert.True(Predict(result.Model, Easy)[0] > 0.5f);
    }

    /// <summary>No row has 5+ option letters, so a gated mid output could learn nothing; appending options A–E must not hand a hard prompt to it.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Train_NoGatedRows_TrainsWithoutTheMidGate(int hiddenSize)
    {
        var rows = new List<RoutingRow>();
        for (var i = 0; i < 200; i++)
        {
            var hard = i % 2 == 0;
            rows.Add(TestRows.Row($"r{i}", hard ? $"prove the theorem about integral number {i} step by step" : $"say hello to friend number {i}", null, hard ? 0 : 1, 1));
        }

        var result = SparseTrainer.Train(rows, Options(hiddenSize, gate: true));

        Assert.Equal(-1, result.Model.GateSlot);
        Assert.True(result.MidGateOff);
        Assert.Contains(result.Notes(), note => note.StartsWith("mid gate off:", StringComparison.Ordinal));
        var plain = Predict(result.Model, Hard)[1];
        var withOptions = Predict(result.Model, Hard + FiveOptions)[1];
        Assert.True(Math.Abs(withOptions - plain) < 0.2f, $"p_mid of a hard prompt: {plain} plain, {withOptions} with options A-E");
    }

    /// <summary>Without the mid gate unless <paramref name="gate"/>: these rows have no 5+ option letters, which is a note of its own.</summary>
    private static TrainerOptions Options(int hiddenSize, bool gate = false)
    {
        var options = hiddenSize == 0
            ? new TrainerOptions { Seed = 7, HiddenSize = 0 }
            : new TrainerOptions { Seed = 7, HiddenSize = hiddenSize, Epochs = 6, LearningRate = 0.05f };
        return gate ? options : options with { MidGateSlot = -1 };
    }

    private static float[] Predict(SparseModel model, string text)
    {
        var features = new SparseFeatures();
        FeatureExtractor.Default.Extract(ChatPrompt.FromUserText(text), features);
        var p = new float[2];
        SparseModelForward.Predict(model, features.IndicesSpan, features.ValuesSpan, p);
        return p;
    }
}
