using System.Numerics;
using System.Runtime.CompilerServices;

namespace RightSize.Features;

/// <summary>
/// Collapsing the raw keys of <see cref="SparseFeatures"/> into counted runs in ascending key
/// order, without sorting: each key is counted in a table over the whole key space and marked in a
/// presence bitmap, and a summary bitmap (one bit per bitmap word) leads the read-out straight to
/// the words that have keys. The cost is one pass over the raw keys plus one step per distinct
/// key; the read-out leaves the table and both bitmaps clear for the next call.
/// </summary>
public sealed partial class SparseFeatures
{
    private const int WordBits = 64;

    private ulong[] _present = [];
    private ulong[] _summary = [];
    private ushort[] _counts = [];

    /// <summary>
    /// Collapses the raw keys (each below 2^<paramref name="keyBits"/>) into runs, one per distinct
    /// key in ascending order, and returns the run keys and their weights: for a key met c times,
    /// <paramref name="weightOfCount"/>[c] when c is within the table, else c itself (as a float);
    /// <paramref name="countsBeyondTable"/> says whether any run has such a count left for the
    /// caller to convert. A key met more than 65,535 times counts 65,535 times (the default caps
    /// allow about 47,000 raw keys per prompt in all). The returned spans stay valid until the next
    /// raw operation.
    /// </summary>
    internal int CollapseRuns(int keyBits, ReadOnlySpan<float> weightOfCount, out Span<uint> runKeys, out Span<float> runWeights, out bool countsBeyondTable)
    {
        EnsureKeySpace(keyBits);
        var raw = _raw.AsSpan(0, _rawCount);
        Mark(raw);
        var runs = ReadOut(raw, _runWeights, weightOfCount, out countsBeyondTable);
        runKeys = raw[..runs];
        runWeights = _runWeights.AsSpan(0, runs);
        return runs;
    }

    private void Mark(ReadOnlySpan<uint> raw)
    {
        var present = _present;
        var summary = _summary;
        var counts = _counts;
        if (raw.Length <= ushort.MaxValue)
        {
            // No key can be met more often than there are keys, so no count can overflow.
            foreach (var key in raw)
            {
                MarkPresent(present, summary, key);
                counts[key]++;
            }

            return;
        }

        foreach (var key in raw)
        {
            MarkPresent(present, summary, key);
            var count = counts[key];
            counts[key] = (ushort)(count + (count == ushort.MaxValue ? 0 : 1));
        }
    }

    /// <summary>Sets the key's bit in the presence bitmap and its bitmap word's bit in the summary.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MarkPresent(ulong[] present, ulong[] summary, uint key)
    {
        var word = (int)(key / WordBits);
        present[word] |= 1UL << (int)(key % WordBits);
        summary[word / WordBits] |= 1UL << (word % WordBits);
    }

    /// <summary>Writes the distinct keys, ascending, over the start of <paramref name="keys"/> (the raw keys, already read), with their weights, and clears the marks.</summary>
    private int ReadOut(Span<uint> keys, Span<float> weights, ReadOnlySpan<float> weightOfCount, out bool countsBeyondTable)
    {
        var present = _present;
        var summary = _summary;
        var table = _counts;
        var beyond = false;
        var runs = 0;
        for (var s = 0; s < summary.Length; s++)
        {
            var words = summary[s];
            if (words == 0) continue;
            summary[s] = 0;
            do
            {
                var word = (s * WordBits) + BitOperations.TrailingZeroCount(words);
                words &= words - 1;
                var bits = present[word];
                present[word] = 0;
                do
                {
                    var key = (uint)((word * WordBits) + BitOperations.TrailingZeroCount(bits));
                    bits &= bits - 1;
                    var count = table[key];
                    table[key] = 0;
                    keys[runs] = key;
                    if (count < weightOfCount.Length)
                    {
                        weights[runs] = weightOfCount[count];
                    }
                    else
                    {
                        weights[runs] = count;
                        beyond = true;
                    }

                    runs++;
                }
                while (bits != 0);
            }
            while (words != 0);
        }

        countsBeyondTable = beyond;
        return runs;
    }

    private void EnsureKeySpace(int keyBits)
    {
        var size = 1 << keyBits;
        if (_counts.Length == size) return;
        if (keyBits is < 6 or > 24) throw new ArgumentOutOfRangeException(nameof(keyBits), keyBits, "Keys must be 6 to 24 bits wide.");
        _counts = new ushort[size];
        _present = new ulong[size / WordBits];
        _summary = new ulong[(_present.Length + WordBits - 1) / WordBits];
    }
}
