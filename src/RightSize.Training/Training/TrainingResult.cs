using System.Globalization;
using RightSize.Features;
using RightSize.Training.Model;

namespace RightSize.Training.Training;

/// <summary>A trained model and what the run learned about itself.</summary>
/// <param name="Options">The settings as given (a mid gate the data could not train shows as <see cref="MidGateOff"/>).</param>
/// <param name="UntrainedOutputs">Outputs no training row labels (<c>small</c>, <c>mid</c>, <c>mid-gated</c>): the model says they are never good enough.</param>
public sealed record TrainingResult(
    SparseModel Model,
    FeatureSchema Schema,
    int TrainRows,
    int HeldOutRows,
    IReadOnlyList<double> HeldOutLoss,
    IReadOnlyList<int> BestEpoch,
    TrainerOptions Options,
    IReadOnlyList<string> UntrainedOutputs)
{
    /// <summary>The options asked for a mid gate, but no training row with a mid score has the gate slot on, so the model has none.</summary>
    public bool MidGateOff => Options.MidGateSlot >= 0 && Model.GateSlot < 0;

    /// <summary>One sentence per thing the data could not train, for the console and the manifest; empty when it trained everything asked for.</summary>
    public IReadOnlyList<string> Notes()
    {
        var notes = new List<string>();
        foreach (var output in UntrainedOutputs)
        {
            notes.Add(output switch
            {
                "small" => "small: no training row has a small score, so the model says small is never good enough (p_small 0) and sends no prompt there; train on rows that score a small tier to route to one.",
                "mid" => "mid: no training row has a mid score, so the model says mid (and so small) is never good enough (p_mid 0) and sends no prompt there; train on rows that score a mid tier to route to one.",
                _ => $"{output}: no training row labels this output, so the model says it is never good enough (p 0).",
            });
        }

        if (MidGateOff)
        {
            var slot = (StructuralSlot)Options.MidGateSlot;
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"mid gate off: no training row with a mid score has the gate slot {slot} on, so one mid output scores every prompt (as with --no-mid-gate)."));
        }

        return notes;
    }
}
