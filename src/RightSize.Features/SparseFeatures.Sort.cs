namespace RightSize.Features;

/// <summary>Sorting the raw keys of <see cref="SparseFeatures"/> and collapsing equal keys into counted runs.</summary>
public sealed partial class SparseFeatures
{
    private const int MaxRadixBits = 11;
    private const int InsertionSortLimit = 48;

    private readonly int[] _histograms = new int[2 << MaxRadixBits];

    /// <summary>
    /// Sorts the raw keys (LSD radix sort, <paramref name="keyBits"/> wide), collapses equal
    /// keys into runs, and returns the run keys and their occurrence counts (as floats, which the
    /// caller may overwrite with values). The returned spans stay valid until the next raw operation.
    /// </summary>
    internal int SortAndCollapse(int keyBits, out Span<uint> runKeys, out Span<float> runCounts)
    {
        var n = _rawCount;
        if (n <= InsertionSortLimit) InsertionSort(_raw.AsSpan(0, n));
        else RadixSort(keyBits);

        var keys = _raw.AsSpan(0, n);
        var counts = _runWeights.AsSpan(0, n);
        var runs = 0;
        for (var i = 0; i < keys.Length;)
        {
            var key = keys[i];
            var j = i + 1;
            while (j < keys.Length && keys[j] == key) j++;
            keys[runs] = key;
            counts[runs] = j - i;
            runs++;
            i = j;
        }

        runKeys = keys[..runs];
        runCounts = counts[..runs];
        return runs;
    }

    private void RadixSort(int keyBits)
    {
        if (keyBits > 2 * MaxRadixBits) throw new ArgumentOutOfRangeException(nameof(keyBits), keyBits, "Keys wider than 22 bits are not supported.");

        // Two passes of equal width; both histograms are counted in one read of the keys.
        var bits = (keyBits + 1) / 2;
        var buckets = 1 << bits;
        var mask = (uint)buckets - 1;
        var n = _rawCount;
        var low = _histograms.AsSpan(0, buckets);
        var high = _histograms.AsSpan(buckets, buckets);
        low.Clear();
        high.Clear();
        var source = _raw.AsSpan(0, n);
        foreach (var key in source)
        {
            low[(int)(key & mask)]++;
            high[(int)((key >> bits) & mask)]++;
        }

        ToOffsets(low);
        ToOffsets(high);
        var target = _scratch.AsSpan(0, n);
        foreach (var key in source) target[low[(int)(key & mask)]++] = key;
        foreach (var key in target) source[high[(int)((key >> bits) & mask)]++] = key;
    }

    private static void ToOffsets(Span<int> histogram)
    {
        var sum = 0;
        for (var b = 0; b < histogram.Length; b++)
        {
            var c = histogram[b];
            histogram[b] = sum;
            sum += c;
        }
    }

    private static void InsertionSort(Span<uint> keys)
    {
        for (var i = 1; i < keys.Length; i++)
        {
            var key = keys[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                j--;
            }

            keys[j + 1] = key;
        }
    }
}
