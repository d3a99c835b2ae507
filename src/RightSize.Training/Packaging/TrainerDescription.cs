using System.Text.Json.Nodes;
using RightSize.Features;
using RightSize.Training.Training;

namespace RightSize.Training.Packaging;

/// <summary>What the manifest says about the trainer: a one-line description of the model trained and the settings that reproduce it.</summary>
public static class TrainerDescription
{
    public const string Version = "rightsize train 1.1";

    /// <summary>The manifest's <c>trainer</c>: the hidden-layer or the logistic model, as <paramref name="options"/> trained it.</summary>
    public static string Of(TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HiddenSize == 0)
        {
            var offset = options.ChatPrior ? " with a chat prior offset" : string.Empty;
            return $"{Version} (sparse logistic regression per output{offset}, l2, l-bfgs, platt)";
        }

        var unit = options.ChatPrior ? " with a chat prior unit" : string.Empty;
        var ensemble = options.EnsembleSize > 1 ? $", ensemble of {options.EnsembleSize} seeds" : string.Empty;
        return $"{Version} (sparse embedding + relu hidden layer{unit}, adagrad{ensemble}, platt)";
    }

    /// <summary>
    /// The settings beside the seed and the data that decide the model, for the manifest's metrics
    /// (<c>trainerSettings</c>): only those the trained model uses (no epochs for the logistic
    /// model, no C for the hidden-layer one). <c>midGateSlot</c> is the slot's name, or null for none;
    /// pass the options the model was trained with (<see cref="ModelDirectory"/> passes no slot when
    /// the data could not train the gate, and notes why).
    /// </summary>
    public static JsonObject Settings(TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new JsonObject { ["model"] = options.HiddenSize == 0 ? "logistic" : "hidden-layer" };
        if (options.HiddenSize == 0)
        {
            settings["regularizationC"] = options.RegularizationC;
        }
        else
        {
            settings["hiddenSize"] = options.HiddenSize;
            settings["ensembleSize"] = options.EnsembleSize;
            settings["epochs"] = options.Epochs;
            settings["learningRate"] = options.LearningRate;
            settings["l2"] = options.L2;
        }

        settings["outcomeWeight"] = options.OutcomeWeight;
        settings["holdOutShare"] = options.HoldOutShare;
        settings["midGateSlot"] = options.MidGateSlot >= 0 ? ((StructuralSlot)options.MidGateSlot).ToString() : null;
        settings["gatedRowsTrainPlain"] = options.GatedRowsTrainPlain;
        settings["chatPrior"] = options.ChatPrior;
        return settings;
    }
}
