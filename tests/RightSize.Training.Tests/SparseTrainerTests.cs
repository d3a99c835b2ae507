using RightSize.Features;
using RightSize.OpenAI.Chat;
using RightSize.Training.Data;
using RightSize.Training.Onnx;
using RightSize.Training.Training;

namespace RightSize.Training.Tests;

public class SparseTrainerTests
{
    private const string FiveOptions = "\nA. one\nB. two\nC. three\nD. four\nE. five";
    private static readonly TrainerOptions Logistic = new() { Seed = 7, HiddenSize = 0 };
    private static readonly TrainerOptions FastMlp = new() { Epochs = 3, Seed = 7, HiddenSize = 8, LearningRate = 0.05f };

    [Fact]
    public void Train_SameSeed_SameModelBytes()
    {
        var rows = TestRows.Synthetic(120);
        var a = OnnxModelExporter.ExportToBytes(SparseTrainer.Train(rows, Logistic).Model);
        var b = OnnxModelExporter.ExportToBytes(SparseTrainer.Train(rows, Logistic).Model);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Train_DifferentSeed_DifferentModelBytes()
    {
        var rows = TestRows.Synthetic(120);
        var a = OnnxModelExporter.ExportToBytes(SparseTrainer.Train(rows, Logistic).Model);
        var b = OnnxModelExporter.ExportToBytes(SparseTrainer.Train(rows, Logistic with { Seed = 8 }).Model);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Train_LearnsEasyFromHard()
    {
        var result = SparseTrainer.Train(TestRows.Synthetic(200), Logistic);
        var easy = Predict(result, "say hello to friend number 1001");
        var hard = Predict(result, "prove the theorem about integral number 1002 step by step");
        Assert.True(easy[0] > hard[0], $"small: easy {easy[0]} vs hard {hard[0]}");
        Assert.True(easy[1] >= easy[0] && hard[1] >= hard[0], "p_small <= p_mid");
    }

    [Fact]
    public void Train_RowsWithoutSmall_LeaveSmallHeadUntouched()
    {
        var rows = TestRows.Synthetic(100);
        // Extra rows that lack the small tier and use words no other row has.
        for (var i = 0; i < 50; i++) rows.Add(TestRows.Row($"x{i}", "zebra quokka axolotl", null, 0, 1));
        var result = SparseTrainer.Train(rows, Logistic with { HoldOutShare = 0 });
        var features = new SparseFeatures();
        FeatureExtractor.Default.Extract(ChatPrompt.FromUserText("zebra quokka axolotl"), features);
        var onlyExtra = 0;
        var probe = new SparseFeatures();
        var width = result.Model.Width; // units: chat prior, small, mid, mid gated
        foreach (var index in features.IndicesSpan)
        {
            if (index < FeatureExtractor.ReservedSlots || AppearsInSynthetic(index, probe)) continue;
            onlyExtra++;
            Assert.Equal(0f, result.Model.Embedding[(index * width) + 1]); // small output: never trained on these rows
            Assert.NotEqual(0f, result.Model.Embedding[(index * width) + 2]); // mid output: learned from them
        }

        Assert.True(onlyExtra > 5);
    }

    private static bool AppearsInSynthetic(long index, SparseFeatures probe)
    {
        foreach (var row in TestRows.Synthetic(100))
        {
            FeatureExtractor.Default.Extract(row.Prompt, probe);
            if (probe.IndicesSpan.BinarySearch(index) >= 0) return true;
        }

        return false;
    }

    /// <summary>
    /// 120 copies of an easy prompt whose small tier is unknown must leave P(small) where the
    /// labelled rows put it; had they counted as small failing, P(small) would fall (the control).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Train_RowsWithoutSmall_DoNotBiasSmallProbability(int hiddenSize)
    {
        var options = hiddenSize == 0 ? Logistic : FastMlp with { Epochs = 6, HiddenSize = hiddenSize };
        var rows = TestRows.Synthetic(120);
        var withUnknown = new List<RoutingRow>(rows);
        var withFailing = new List<RoutingRow>(rows);
        for (var i = 0; i < 120; i++)
        {
            withUnknown.Add(TestRows.Row($"x{i}", $"say hello to friend number {i}", null, 1, 1));
            withFailing.Add(TestRows.Row($"x{i}", $"say hello to friend number {i}", 0, 1, 1));
        }

        const string Probe = "say hello to friend number 1001";
        var labelledOnly = Predict(SparseTrainer.Train(rows, options), Probe)[0];
        var unknown = Predict(SparseTrainer.Train(withUnknown, options), Probe)[0];
        var failing = Predict(SparseTrainer.Train(withFailing, options), Probe)[0];
        Assert.Equal(labelledOnly, unknown, 0.01f);
        Assert.True(failing < labelledOnly - 0.2f, $"control: rows labelled failing moved P(small) only from {labelledOnly} to {failing}");
    }

    [Fact]
    public void Train_OnlyMidLabels_TrainsWithoutError()
    {
        var result = SparseTrainer.Train(TestRows.Synthetic(60, withSmall: false), Logistic);
        Assert.Equal(1f, result.Model.CalibrationScale[0]); // nothing to calibrate the small head on
        Assert.True(float.IsFinite(Predict(result, "anything")[1]));
    }

    [Fact]
    public void TrainMlp_SameSeed_SameBytes_DifferentSeed_DifferentBytes()
    {
        var rows = TestRows.Synthetic(120);
        var a = OnnxModelExporter.ExportToBytes(SparseTrainer.Train(rows, FastMlp).Model);
        var b = OnnxModelExporter.ExportToBytes(SparseTrainer.Train(rows, FastMlp).Model);
        var c = OnnxModelExporter.ExportToBytes(SparseTrainer.Train(rows, FastMlp with { Seed = 8 }).Model);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TrainMlp_LearnsEasyFromHard_AndKeepsPriorUnitFrozen()
    {
        var result = SparseTrainer.Train(TestRows.Synthetic(200), FastMlp with { Epochs = 6 });
        Assert.Equal(8, result.Model.HiddenSize);
        Assert.Equal(-ChatPrior.Output, result.Model.OutputWeights[0]);
        Assert.Equal(ChatPrior.Bias, result.Model.HiddenBias[0]);
        var easy = Predict(result, "say hello to friend number 1001");
        var hard = Predict(result, "prove the theorem about integral number 1002 step by step");
        Assert.True(easy[1] > hard[1], $"mid: easy {easy[1]} vs hard {hard[1]}");
    }

    [Fact]
    public void TrainMlp_Ensemble_FoldsMembersIntoOneWiderGraph_Deterministically()
    {
        var rows = TestRows.Synthetic(120);
        var options = FastMlp with { EnsembleSize = 2 };
        var result = SparseTrainer.Train(rows, options);
        Assert.Equal(16, result.Model.HiddenSize);
        var outputs = result.Model.Outputs;
        Assert.Equal(-ChatPrior.Output / 2, result.Model.OutputWeights[0]); // member 0's prior unit, averaged
        Assert.Equal(-ChatPrior.Output / 2, result.Model.OutputWeights[8 * outputs]); // member 1's prior unit
        Assert.Equal(OnnxModelExporter.ExportToBytes(result.Model), OnnxModelExporter.ExportToBytes(SparseTrainer.Train(rows, options).Model));
        Assert.NotEqual(result.Model.Embedding.AsSpan(1, 7).ToArray(), result.Model.Embedding.AsSpan(9, 7).ToArray());
        var easy = Predict(result, "say hello to friend number 1001");
        var hard = Predict(result, "prove the theorem about integral number 1002 step by step");
        Assert.True(easy[1] > hard[1], $"mid: easy {easy[1]} vs hard {hard[1]}");
    }

    [Fact]
    public void TrainMlp_MidGate_ManyOptionRowsTrainTheirOwnMidOutput()
    {
        var rows = GateRows();
        var result = SparseTrainer.Train(rows, FastMlp with { Epochs = 6, HoldOutShare = 0 });
        Assert.Equal((int)StructuralSlot.ManyOptions, result.Model.GateSlot);
        Assert.Equal(3, result.Model.Outputs);
        var withOptions = Predict(result, "which value fits case 3" + FiveOptions);
        var without = Predict(result, "which value fits case 3");
        Assert.True(withOptions[1] > 0.7f && without[1] < 0.3f, $"p_mid with options {withOptions[1]}, without {without[1]}");
    }

    [Fact]
    public void TrainLogistic_Converged_RecoversEachGroupsRate()
    {
        // An almost unregularised, converged fit must predict each prompt's share of good rows
        // (the maximum-likelihood answer).
        var rows = TwoGroups(goodA: 30, goodB: 80);
        var result = SparseTrainer.Train(rows, Logistic with { HoldOutShare = 0, ChatPrior = false, RegularizationC = 1e4 });
        Assert.Equal(0.3f, Predict(result, "walrus penguin")[1], 0.01f);
        Assert.Equal(0.8f, Predict(result, "tractor harvest")[1], 0.01f);
    }

    [Fact]
    public void TrainLogistic_StrongerRegularization_PullsTowardsTheBaseRate()
    {
        var rows = TwoGroups(goodA: 10, goodB: 90);
        var options = Logistic with { HoldOutShare = 0, ChatPrior = false };
        var loose = Predict(SparseTrainer.Train(rows, options with { RegularizationC = 100 }), "walrus penguin")[1];
        var tight = Predict(SparseTrainer.Train(rows, options with { RegularizationC = 0.001 }), "walrus penguin")[1];
        Assert.True(loose < 0.15f && tight > 0.4f, $"C=100: {loose}, C=0.001: {tight}");
    }

    [Fact]
    public void TrainLogistic_KeepsThePriorUnitAndTheGate()
    {
        var rows = GateRows();
        var result = SparseTrainer.Train(rows, Logistic with { HoldOutShare = 0, GatedRowsTrainPlain = false });
        Assert.Equal(4, result.Model.HiddenSize);
        Assert.Equal(ChatPrior.Bias, result.Model.HiddenBias[0]);
        Assert.Equal(-ChatPrior.Output, result.Model.OutputWeights[1]); // the prior on both mid outputs (no row scores small, so nothing reaches it)
        Assert.Equal(-ChatPrior.Output, result.Model.OutputWeights[2]);
        Assert.Equal((int)StructuralSlot.ManyOptions, result.Model.GateSlot);
        var withOptions = Predict(result, "which value fits case 3" + FiveOptions);
        var without = Predict(result, "which value fits case 3");
        Assert.True(withOptions[1] > 0.7f && without[1] < 0.3f, $"p_mid with options {withOptions[1]}, without {without[1]}");
    }

    [Fact]
    public void TrainLogistic_NonPositiveRegularization_Throws() =>
        Assert.Throws<ArgumentException>(() => SparseTrainer.Train(TestRows.Synthetic(30), Logistic with { RegularizationC = 0 }));

    [Fact]
    public void Train_EmptyRows_Throws() => Assert.Throws<ArgumentException>(() => SparseTrainer.Train([], Logistic));

    /// <summary>The same stems: with five option letters mid is always good enough, without them never.</summary>
    private static List<RoutingRow> GateRows()
    {
        var rows = new List<RoutingRow>();
        for (var i = 0; i < 160; i++)
        {
            var stem = $"which value fits case {i % 20}";
            var many = i % 2 == 0;
            rows.Add(TestRows.Row($"g{i}", many ? stem + FiveOptions : stem, null, many ? 1 : 0, 1));
        }

        return rows;
    }

    /// <summary>Two prompts with no words in common, 100 rows each, of which the first goodA / goodB have mid good enough.</summary>
    private static List<RoutingRow> TwoGroups(int goodA, int goodB)
    {
        var rows = new List<RoutingRow>();
        for (var i = 0; i < 100; i++) rows.Add(TestRows.Row($"a{i}", "walrus penguin", null, i < goodA ? 1 : 0, 1));
        for (var i = 0; i < 100; i++) rows.Add(TestRows.Row($"b{i}", "tractor harvest", null, i < goodB ? 1 : 0, 1));
        return rows;
    }

    private static float[] Predict(TrainingResult result, string text)
    {
        var features = new SparseFeatures();
        FeatureExtractor.Default.Extract(ChatPrompt.FromUserText(text), features);
        var p = new float[2];
        Model.SparseModelForward.Predict(result.Model, features.IndicesSpan, features.ValuesSpan, p);
        return p;
    }
}
