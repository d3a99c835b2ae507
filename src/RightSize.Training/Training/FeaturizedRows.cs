using RightSize.Classification;
using RightSize.Features;
using RightSize.Training.Data;

namespace RightSize.Training.Training;

/// <summary>Rows turned into sparse vectors once (CSR layout) with their two labels, NaN where unknown.</summary>
public sealed class FeaturizedRows
{
    private FeaturizedRows(int[] starts, int[] indices, float[] values, float[] labels, float[] targets, bool[] gates)
    {
        Gates = gates;
        Targets = targets;
        Starts = starts;
        Indices = indices;
        Values = values;
        Labels = labels;
    }

    /// <summary>Row r spans [Starts[r], Starts[r + 1]).</summary>
    internal int[] Starts { get; }

    internal int[] Indices { get; }

    internal float[] Values { get; }

    /// <summary>[small, mid] per row: 1 good enough, 0 not, NaN unknown.</summary>
    internal float[] Labels { get; }

    /// <summary>[small, mid] training targets per row: the label, softened by the consensus where known; NaN unknown.</summary>
    internal float[] Targets { get; }

    /// <summary>Per row: whether the gate slot is on (its mid head is the gated output).</summary>
    internal bool[] Gates { get; }

    public int Count => Starts.Length - 1;

    public bool Gate(int row) => Gates[row];

    /// <summary>The raw output that stands for head 0 (small) or 1 (mid) on this row: 2, the gated mid, when the model has a gate and the row's is on.</summary>
    public int OutputFor(int row, int head, bool gated) => gated && head == 1 && Gates[row] ? 2 : head;

    /// <summary>The same rows with every gate off, for a model trained without the mid gate.</summary>
    internal FeaturizedRows WithoutGate() => new(Starts, Indices, Values, Labels, Targets, new bool[Count]);

    public ReadOnlySpan<int> RowIndices(int row) => Indices.AsSpan(Starts[row], Starts[row + 1] - Starts[row]);

    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(Starts[row], Starts[row + 1] - Starts[row]);

    public float Label(int row, int head) => Labels[(row * 2) + head];

    public float Target(int row, int head) => Targets[(row * 2) + head];

    /// <summary>Extracts the features of every row (in parallel; the result does not depend on scheduling).</summary>
    public static FeaturizedRows Build(IReadOnlyList<RoutingRow> rows, FeatureExtractor extractor, IProgress<TrainingProgress>? progress = null, float outcomeWeight = 1f, int gateSlot = -1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(extractor);
        var perRowIndices = new int[rows.Count][];
        var perRowValues = new float[rows.Count][];
        var done = 0;
        Parallel.For(
            0,
            rows.Count,
            () => new SparseFeatures(),
            (i, _, buffer) =>
            {
                extractor.Extract(rows[i].Prompt, buffer);
                var idx = new int[buffer.Count];
                for (var k = 0; k < idx.Length; k++) idx[k] = (int)buffer.IndicesSpan[k];
                perRowIndices[i] = idx;
                perRowValues[i] = buffer.ValuesSpan.ToArray();
                var now = Interlocked.Increment(ref done);
                if (now % 2000 == 0) progress?.Report(new TrainingProgress("features", now, rows.Count));
                return buffer;
            },
            static _ => { });
        progress?.Report(new TrainingProgress("features", rows.Count, rows.Count));

        var starts = new int[rows.Count + 1];
        for (var i = 0; i < rows.Count; i++) starts[i + 1] = starts[i] + perRowIndices[i].Length;
        var indices = new int[starts[^1]];
        var values = new float[starts[^1]];
        var labels = new float[rows.Count * 2];
        var targets = new float[rows.Count * 2];
        var gates = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            perRowIndices[i].CopyTo(indices, starts[i]);
            perRowValues[i].CopyTo(values, starts[i]);
            gates[i] = gateSlot >= 0 && IsOn(perRowIndices[i], perRowValues[i], gateSlot);
            labels[i * 2] = ToLabel(rows[i].GoodEnough(Tier.Small));
            labels[(i * 2) + 1] = ToLabel(rows[i].GoodEnough(Tier.Mid));
            var consensus = (float)rows[i].Consensus;
            for (var h = 0; h < 2; h++)
            {
                var y = labels[(i * 2) + h];
                targets[(i * 2) + h] = float.IsNaN(consensus) || float.IsNaN(y) ? y : (outcomeWeight * y) + ((1 - outcomeWeight) * consensus);
            }
        }

        return new FeaturizedRows(starts, indices, values, labels, targets, gates);
    }

    /// <summary>The gate of a sparse row: the sum of its values at the slot is at least 0.5 (the model's rule, see SparseModel.GateSlot).</summary>
    internal static bool IsOn(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int slot)
    {
        var sum = 0f;
        for (var k = 0; k < indices.Length; k++) if (indices[k] == slot) sum += values[k];
        return sum >= 0.5f;
    }

    private static float ToLabel(bool? good) => good switch { true => 1f, false => 0f, null => float.NaN };
}
