using RightSize.Training.Packaging;
using RightSize.Training.Training;

namespace RightSize.Training.Tests;

public class TrainerDescriptionTests
{
    [Fact]
    public void Of_Defaults_DescribesTheHiddenLayerModel() =>
        Assert.Equal("rightsize train 1.1 (sparse embedding + relu hidden layer with a chat prior unit, adagrad, platt)", TrainerDescription.Of(new TrainerOptions()));

    [Fact]
    public void Of_LogisticWithoutPrior_DescribesTheLogisticModel() =>
        Assert.Equal("rightsize train 1.1 (sparse logistic regression per output, l2, l-bfgs, platt)", TrainerDescription.Of(new TrainerOptions { HiddenSize = 0, ChatPrior = false }));

    [Fact]
    public void Of_Ensemble_NamesItsSize() =>
        Assert.Contains("adagrad, ensemble of 3 seeds, platt", TrainerDescription.Of(new TrainerOptions { EnsembleSize = 3 }), StringComparison.Ordinal);

    [Fact]
    public void Settings_NonDefaultHiddenLayerModel_RecordsWhatReproducesIt()
    {
        var options = new TrainerOptions { HiddenSize = 12, EnsembleSize = 2, Epochs = 9, LearningRate = 0.02f, L2 = 3e-5f, OutcomeWeight = 0.7f, HoldOutShare = 0.2, MidGateSlot = -1 };

        Assert.Equal(
            """{"model":"hidden-layer","hiddenSize":12,"ensembleSize":2,"epochs":9,"learningRate":0.02,"l2":3E-05,"outcomeWeight":0.7,"holdOutShare":0.2,"midGateSlot":null,"gatedRowsTrainPlain":true,"chatPrior":true}""",
            TrainerDescription.Settings(options).ToJsonString());
    }

    [Fact]
    public void Settings_Logistic_RecordsCAndNoEpochs() =>
        Assert.Equal(
            """{"model":"logistic","regularizationC":0.3,"outcomeWeight":0.5,"holdOutShare":0.1,"midGateSlot":"ManyOptions","gatedRowsTrainPlain":true,"chatPrior":true}""",
            TrainerDescription.Settings(new TrainerOptions { HiddenSize = 0, RegularizationC = 0.3 }).ToJsonString());
}
