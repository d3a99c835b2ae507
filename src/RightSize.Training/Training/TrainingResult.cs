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

    /// <summary>The most training rows that share one split key (<see cref="SparseTrainer.LargestSplitGroup"/>), for the held-out warning.</summary>
    public int LargestSplitGroup { get; init; }

    /// <summary>
    /// One sentence per thing that makes the run's own figures doubtful, for the console and the
    /// manifest: a held-out share far from <see cref="TrainerOptions.HoldOutShare"/> (under half or
    /// over one and a half times it, by more than chance explains: three binomial standard
    /// deviations). Rows are held out in groups that share a first line, so one large group can
    /// tip the share; the best epoch, the Platt fit and the held-out figures then rest on a skewed sample.
    /// </summary>
    public IReadOnlyList<string> Warnings()
    {
        var rows = TrainRows + HeldOutRows;
        var asked = Options.HoldOutShare;
        if (rows < SparseTrainer.MinRowsToHoldOut || asked <= 0) return [];
        var share = (double)HeldOutRows / rows;
        var expected = asked * rows;
        var chance = 3 * Math.Sqrt(expected * (1 - asked));
        if ((share >= asked * 0.5 && share <= asked * 1.5) || Math.Abs(HeldOutRows - expected) <= chance) return [];
        return
        [
            string.Create(
                CultureInfo.InvariantCulture,
                $"held out {HeldOutRows} of {rows} rows ({share:P1}), far from the {asked:P0} asked for: rows are held out together by the first line of their last user message, and the largest such group has {LargestSplitGroup} rows; the best epoch, the calibration and the held-out figures rest on this sample. Another seed splits differently."),
        ];
    }

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
