using RightSize.Training.Training;

namespace RightSize.Training.Tests;

public class TrainerOptionsTests
{
    public static TheoryData<TrainerOptions, string> OutOfRange => new()
    {
        { new TrainerOptions { Epochs = 0 }, "Epochs must be at least 1 (got 0)." },
        { new TrainerOptions { EnsembleSize = 0 }, "EnsembleSize must be at least 1 (got 0)." },
        { new TrainerOptions { LearningRate = -1 }, "LearningRate must be above 0 and at most 1 (got -1)." },
        { new TrainerOptions { LearningRate = float.NaN }, "LearningRate must be above 0 and at most 1 (got NaN)." },
        { new TrainerOptions { L2 = float.PositiveInfinity }, "L2 must be a finite number, 0 or more (got Infinity)." },
        { new TrainerOptions { OutcomeWeight = 1.5f }, "OutcomeWeight must be between 0 and 1 (got 1.5)." },
        { new TrainerOptions { RegularizationC = 0 }, "RegularizationC must be a finite number above 0 (got 0)." },
        { new TrainerOptions { HiddenSize = -1 }, "HiddenSize must be 0 (logistic) or more (got -1)." },
        { new TrainerOptions { HoldOutShare = 1 }, "HoldOutShare must be at least 0 and below 1 (got 1)." },
    };

    [Fact]
    public void Problems_Defaults_None() => Assert.Empty(new TrainerOptions().Problems());

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Problems_OutOfRange_NamesTheSettingAndValue(TrainerOptions options, string expected) =>
        Assert.Equal(expected, Assert.Single(options.Problems()));

    [Fact]
    public void Problems_HiddenUnitsAtTheOnnxSizeLimit_NoneAndOneMoreRefused()
    {
        var options = new TrainerOptions();
        var max = options.MaxHiddenUnits;
        var weights = options.Features.Schema.Dimension * (max + 2) * sizeof(float);
        Assert.InRange(weights, TrainerOptions.MaxOnnxBytes - (options.Features.Schema.Dimension * sizeof(float)), TrainerOptions.MaxOnnxBytes);

        Assert.Empty((options with { HiddenSize = (int)max }).Problems());
        Assert.Equal(
            $"HiddenSize × EnsembleSize must be at most {max} (got {max + 1} × 1): the model's ONNX file would hold 65792 × (units + 2) float32 weights, more than the 2 GB an ONNX file can hold.",
            Assert.Single((options with { HiddenSize = (int)max + 1 }).Problems()));
        Assert.Single((options with { HiddenSize = 100_000 }).Problems());
        Assert.Single((options with { HiddenSize = int.MaxValue, EnsembleSize = int.MaxValue }).Problems());
        Assert.Single((options with { HiddenSize = 2000, EnsembleSize = 5 }).Problems());
    }

    [Fact]
    public void Problems_NamesTheCallersSpelling()
    {
        var problems = new TrainerOptions { Epochs = 0, L2 = -1 }.Problems(name => "--" + name.ToLowerInvariant());
        Assert.Equal(["--epochs must be at least 1 (got 0).", "--l2 must be a finite number, 0 or more (got -1)."], problems);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Train_OutOfRangeOptions_ThrowsBeforeTraining(TrainerOptions options, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => SparseTrainer.Train(TestRows.Synthetic(40), options with { Seed = 1 }));
        Assert.StartsWith(expected, ex.Message);
    }
}
