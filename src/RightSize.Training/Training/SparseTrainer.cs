using RightSize.Training.Data;
using RightSize.Training.Model;

namespace RightSize.Training.Training;

/// <summary>
/// Trains a difficulty model over one hashed feature space: the hidden-layer model (Adagrad,
/// seeded, epochs) or, with <see cref="TrainerOptions.HiddenSize"/> 0, the logistic model
/// (<see cref="LogisticTrainer"/>). A head only learns from rows where its tier is known
/// (masked loss), so rows without a small score leave the small head untouched; an output no
/// training row labels says "never good enough" (<see cref="OutputCoverage"/>), and a mid gate
/// that no training row with a mid score has on is left out (the model is trained ungated). Single
/// threaded and seeded: the same rows and seed give the same weights, bit for bit. A seeded
/// share of rows is held out to pick the best epoch and to fit Platt calibration.
/// </summary>
public static class SparseTrainer
{
    /// <summary>Below this many rows nothing is held out (the best epoch is the last, no Platt fit).</summary>
    public const int MinRowsToHoldOut = 20;

    private const int Heads = 2;

    public static TrainingResult Train(IReadOnlyList<RoutingRow> rows, TrainerOptions options, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        if (rows.Count == 0) throw new ArgumentException("No rows to train on.", nameof(rows));
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        var data = FeaturizedRows.Build(rows, options.Features, progress, options.OutcomeWeight, options.MidGateSlot);
        var (train, heldOut) = SplitFor(rows, options);
        var coverage = OutputCoverage.Of(data, train, options.MidGateSlot >= 0, options.GatedRowsTrainPlain);
        if (coverage.Gated && !coverage.IsTrained(2))
        {
            // No training row with a mid score has the gate on: the gated output would learn
            // nothing, yet score every such prompt at serving time. Train without the gate.
            data = data.WithoutGate();
            coverage = OutputCoverage.Of(data, train, gated: false, options.GatedRowsTrainPlain);
        }

        var result = options.HiddenSize > 0
            ? TrainMlp(data, train, heldOut, coverage, options, progress)
            : LogisticTrainer.Train(data, train, heldOut, coverage, options, progress);
        return result with { LargestSplitGroup = LargestSplitGroup(rows) };
    }

    private static TrainingResult TrainMlp(FeaturizedRows data, int[] train, int[] heldOut, OutputCoverage coverage, TrainerOptions options, IProgress<TrainingProgress>? progress)
    {
        var members = new List<MlpState>(options.EnsembleSize);
        var bestLoss = new double[Heads];
        var bestEpoch = new int[Heads];
        for (var k = 0; k < options.EnsembleSize; k++)
        {
            var (member, loss, epoch) = TrainMember(data, train, heldOut, coverage, options, MemberSeed(options.Seed, k), progress);
            members.Add(member);
            for (var h = 0; h < Heads; h++)
            {
                bestLoss[h] += loss[h] / options.EnsembleSize;
                bestEpoch[h] = Math.Max(bestEpoch[h], epoch[h]);
            }
        }

        var best = members.Count == 1 ? members[0] : MlpState.Merge(members);
        progress?.Report(new TrainingProgress("calibrate", 0, 1));
        var (scale, offset) = Calibrate((r, h) => Logit(best, data, r, h), data, heldOut, coverage);
        progress?.Report(new TrainingProgress("calibrate", 1, 1));
        var model = new SparseModel
        {
            Dimension = options.Features.Schema.Dimension,
            HiddenSize = best.HiddenSize,
            Embedding = best.Embedding,
            HiddenBias = best.HiddenBias,
            OutputWeights = best.OutputWeights,
            OutputBias = best.OutputBias,
            GateSlot = coverage.Gated ? options.MidGateSlot : -1,
            CalibrationScale = scale,
            CalibrationOffset = offset,
        };
        model.Validate();
        return new TrainingResult(model, options.Features.Schema, train.Length, heldOut.Length, bestLoss, bestEpoch, options, coverage.Untrained);
    }

    /// <summary>Member 0 uses the run's seed (a one-member ensemble is the plain model); the others derive theirs from it.</summary>
    private static int MemberSeed(int seed, int member) => member == 0 ? seed : unchecked((seed * 1_000_003) + (member * 7_919));

    private static (MlpState Best, double[] Loss, int[] Epoch) TrainMember(FeaturizedRows data, int[] trainRows, int[] heldOut, OutputCoverage coverage, TrainerOptions options, int seed, IProgress<TrainingProgress>? progress)
    {
        var dimension = options.Features.Schema.Dimension;
        var prior = options.ChatPrior ? ChatPrior.Slots : null;
        var gated = coverage.Gated;
        var state = new MlpState(dimension, options.HiddenSize, seed, prior, ChatPrior.Bias, ChatPrior.Output, gated) { GatedRowsTrainPlain = options.GatedRowsTrainPlain };
        var best = new MlpState(dimension, options.HiddenSize, seed, prior, ChatPrior.Bias, ChatPrior.Output, gated);

        // No row trains these outputs (masked loss), so what they say now is what they say at the end.
        for (var o = 0; o < coverage.Outputs; o++)
        {
            if (!coverage.IsTrained(o)) state.MarkUntrained(o);
        }
        var bestLoss = new[] { double.PositiveInfinity, double.PositiveInfinity };
        var bestEpoch = new[] { 0, 0 };
        var bestTotal = double.PositiveInfinity;
        var train = (int[])trainRows.Clone();
        var random = new Random(seed);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            Shuffle(train, random);
            foreach (var r in train) state.Step(data, r, options.LearningRate, options.L2);
            var losses = HeldOutLoss((r, h) => Logit(state, data, r, h), data, heldOut);
            var total = Weighted(losses);
            if (total < bestTotal || heldOut.Length == 0 || (double.IsNaN(total) && epoch == options.Epochs))
            {
                bestTotal = total;
                best.CopyFrom(state);
                for (var h = 0; h < Heads; h++)
                {
                    bestLoss[h] = losses[h];
                    bestEpoch[h] = epoch;
                }
            }

            progress?.Report(new TrainingProgress("epoch", epoch, options.Epochs, (losses[0] + losses[1]) / 2));
        }

        return (best, bestLoss, bestEpoch);
    }

    private static double Weighted(double[] losses)
    {
        double sum = 0;
        var any = false;
        foreach (var l in losses)
        {
            if (double.IsNaN(l)) continue;
            sum += l;
            any = true;
        }

        return any ? sum : double.NaN;
    }

    private static double Logit(MlpState state, FeaturizedRows data, int row, int head)
    {
        Span<double> z = stackalloc double[Heads];
        state.Logits(data, row, z);
        return z[head];
    }

    /// <summary>Platt scaling per head on the held-out rows whose output was trained; a head with none keeps the identity (an untrained output stays at its "never").</summary>
    internal static (float[] Scale, float[] Offset) Calibrate(Func<int, int, double> logit, FeaturizedRows data, int[] heldOut, OutputCoverage coverage)
    {
        var scale = new float[Heads];
        var offset = new float[Heads];
        for (var h = 0; h < Heads; h++)
        {
            var logits = new List<double>();
            var labels = new List<bool>();
            foreach (var r in heldOut)
            {
                var y = data.Label(r, h);
                if (float.IsNaN(y) || !coverage.Covers(data, r, h)) continue;
                logits.Add(logit(r, h));
                labels.Add(y > 0.5f);
            }

            (scale[h], offset[h]) = PlattScaling.Fit(logits, labels);
        }

        return (scale, offset);
    }

    /// <summary>
    /// Splits rows into train and held-out by a seeded hash of the first line of the last user
    /// message (the message the features read as the question; the last message when there is no
    /// user message), so copies of one question stay together. A tool result or an assistant turn
    /// after the question does not count: in agent traffic those often begin with <c>{</c>.
    /// </summary>
    public static (int[] Train, int[] HeldOut) SplitFor(IReadOnlyList<RoutingRow> rows, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        var train = new List<int>(rows.Count);
        var heldOut = new List<int>();
        var threshold = (ulong)(options.HoldOutShare * ulong.MaxValue);
        for (var i = 0; i < rows.Count; i++)
        {
            var hash = StableHash.Of(StemOf(rows[i]), (ulong)options.Seed);
            (hash < threshold && rows.Count >= MinRowsToHoldOut ? heldOut : train).Add(i);
        }

        return ([.. train], [.. heldOut]);
    }

    /// <summary>The most rows that share one split key (the first line of their last user message): the split holds them out or keeps them together.</summary>
    public static int LargestSplitGroup(IReadOnlyList<RoutingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var largest = 0;
        foreach (var row in rows)
        {
            var stem = StemOf(row);
            counts[stem] = counts.GetValueOrDefault(stem) + 1;
            largest = Math.Max(largest, counts[stem]);
        }

        return largest;
    }

    private static string StemOf(RoutingRow row)
    {
        var last = row.Prompt.LastUserIndex;
        var text = last >= 0 ? row.Prompt.Turns[last].Text ?? string.Empty : string.Empty;
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).Trim().ToUpperInvariant();
    }

    private static void Shuffle(int[] items, Random random)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    internal static double[] HeldOutLoss(Func<int, int, double> logit, FeaturizedRows data, int[] heldOut)
    {
        var sum = new double[Heads];
        var count = new int[Heads];
        foreach (var r in heldOut)
        {
            for (var h = 0; h < Heads; h++)
            {
                var y = data.Label(r, h);
                if (float.IsNaN(y)) continue;
                var p = Math.Clamp(PlattScaling.Sigmoid(logit(r, h)), 1e-7, 1 - 1e-7);
                sum[h] -= y > 0.5f ? Math.Log(p) : Math.Log(1 - p);
                count[h]++;
            }
        }

        for (var h = 0; h < Heads; h++) sum[h] = count[h] == 0 ? double.NaN : sum[h] / count[h];
        return sum;
    }
}
