using System.Runtime.CompilerServices;
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

        output.CollapseRuns(_keyBits, out var keys, out var weights);
        Span<float> scales = stackalloc float[1 << HashedBlock.TagBits];
        LogWeightsAndSquaredNorms(keys, weights).CopyTo(scales);
        for (var b = 0; b < scales.Length; b++)
        {
            scales[b] = scales[b] > 0f && b < _blockWeights.Length ? _blockWeights[b] / MathF.Sqrt(scales[b]) : 0f;
        }

        AppendHashed(keys, weights, scales, output);
    }

    /// <summary>
    /// Turns each run's count into its weight, 1 + ln(count), and returns the squared L2 norm of
    /// each block, one vector lane per block tag. Every run adds its square to its own block's lane
    /// and +0 to the others, so each lane sums its block's squares in run order: bit for bit what
    /// one scalar accumulator per block gives, without a store and reload of the accumulator per run.
    /// </summary>
    private static Vector128<float> LogWeightsAndSquaredNorms(ReadOnlySpan<uint> keys, Span<float> weights)
    {
        var lanes = Vector128.Create(0u, 1u, 2u, 3u);
        var sums = Vector128<float>.Zero;
        for (var r = 0; r < keys.Length; r++)
        {
            var u = OnePlusLog(weights[r]);
            weights[r] = u;
            var own = Vector128.Equals(lanes, Vector128.Create(keys[r] & TagMask)).AsSingle();
            sums += Vector128.Create(u * u) & own;
        }

        return sums;
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float OnePlusLog(float count) =>
        count < OnePlusLogCount.Length ? OnePlusLogCount[(int)count] : 1f + MathF.Log(count);

    private static float[] BuildOnePlusLogCount(int size)
    {
        var table = new float[size];
        for (var c = 1; c < size; c++) table[c] = 1f + MathF.Log(c);
        return table;
    }
}
