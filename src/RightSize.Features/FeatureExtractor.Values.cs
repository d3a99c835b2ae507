using System.Runtime.Intrinsics;
using RightSize.Features.Text;

namespace RightSize.Features;

/// <summary>From raw keys to output values: counts, per-block L2 norms and block weights.</summary>
public sealed partial class FeatureExtractor
{
    private const uint TagMask = (1u << HashedBlock.TagBits) - 1;

    /// <summary>1 + ln(count) for the counts most buckets have (index 0 unused).</summary>
    private static readonly float[] OnePlusLogCount = BuildOnePlusLogCount(256);

    private void Finish(ReadOnlySpan<float> slots, SparseFeatures output)
    {
        for (var s = 0; s < slots.Length; s++)
        {
            if (slots[s] != 0f) output.AppendOrdered(s, slots[s]);
        }

        output.CollapseRuns(_keyBits, OnePlusLogCount, out var keys, out var weights, out var countsBeyondTable);
        if (countsBeyondTable) OnePlusLogBeyondTable(weights);
        Span<float> scales = stackalloc float[1 << HashedBlock.TagBits];
        SquaredNorms(keys, weights).CopyTo(scales);
        for (var b = 0; b < scales.Length; b++)
        {
            scales[b] = scales[b] > 0f && b < _blockWeights.Length ? _blockWeights[b] / MathF.Sqrt(scales[b]) : 0f;
        }

        AppendHashed(keys, weights, scales, output);
    }

    /// <summary>
    /// Returns the squared L2 norm of each block, one vector lane per block tag. Every run adds its
    /// square to its own block's lane and +0 to the others, so each lane sums its block's squares
    /// in run order: bit for bit what one scalar accumulator per block gives, with the sum kept in
    /// a register (a loop that may call a method keeps it in memory instead, with a store and a
    /// reload on every step: no vector register survives a call).
    /// </summary>
    private static Vector128<float> SquaredNorms(ReadOnlySpan<uint> keys, ReadOnlySpan<float> weights)
    {
        weights = weights[..keys.Length];
        var lanes = Vector128.Create(0u, 1u, 2u, 3u);
        var sums = Vector128<float>.Zero;
        for (var r = 0; r < keys.Length; r++)
        {
            var u = weights[r];
            var own = Vector128.Equals(lanes, Vector128.Create(keys[r] & TagMask)).AsSingle();
            sums += Vector128.Create(u * u) & own;
        }

        return sums;
    }

    /// <summary>
    /// Converts the counts that <see cref="SparseFeatures.CollapseRuns"/> left as they were, those
    /// beyond <see cref="OnePlusLogCount"/>, to 1 + ln(count). Table values are under 7, so the
    /// entries still at or above the table's size are exactly those counts.
    /// </summary>
    private static void OnePlusLogBeyondTable(Span<float> weights)
    {
        for (var r = 0; r < weights.Length; r++)
        {
            if (weights[r] >= OnePlusLogCount.Length) weights[r] = 1f + MathF.Log(weights[r]);
        }
    }

    /// <summary>Appends the hashed features in index order; blocks that share a bucket add up (in block order).</summary>
    private static void AppendHashed(ReadOnlySpan<uint> keys, ReadOnlySpan<float> weights, ReadOnlySpan<float> scales, SparseFeatures output)
    {
        var indices = output.AppendSpace(keys.Length, out var values);
        var count = 0;
        var last = -1L;
        for (var r = 0; r < keys.Length; r++)
        {
            var key = keys[r];
            var scale = scales[(int)(key & TagMask)];
            if (scale == 0f) continue;

            var index = ReservedSlots + (long)(key >> HashedBlock.TagBits);
            var value = weights[r] * scale;
            if (index == last)
            {
                values[count - 1] += value;
                continue;
            }

            indices[count] = index;
            values[count] = value;
            count++;
            last = index;
        }

        output.CommitAppended(count);
    }

    private static float[] BuildOnePlusLogCount(int size)
    {
        var table = new float[size];
        for (var c = 1; c < size; c++) table[c] = 1f + MathF.Log(c);
        return table;
    }
}
