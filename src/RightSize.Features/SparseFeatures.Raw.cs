namespace RightSize.Features;

/// <summary>The scratch side of <see cref="SparseFeatures"/>: raw hashed keys before sorting and merging.</summary>
public sealed partial class SparseFeatures
{
    private const int RadixBits = 11;
    private const int RadixBuckets = 1 << RadixBits;
    private const int InsertionSortLimit = 48;

    private uint[] _raw;
    private uint[] _scratch;
    private float[] _runWeights;
    private readonly int[] _histogram = new int[RadixBuckets];
    private int _rawCount;

    internal int RawCount => _rawCount;

    /// <summary>Records one occurrence of a hashed key (bucket and block packed by the extractor).</summary>
    internal void AddRaw(uint key)
    {
        if (_rawCount == _raw.Length)
        {
            var size = _raw.Length * 2;
            Array.Resize(ref _raw, size);
            _scratch = new uint[size];
            _runWeights = new float[size];
        }

        _raw[_rawCount++] = key;
    }

    /// <summary>
    /// Sorts the raw keys (LSD radix sort, <paramref name="keyBits"/> wide), collapses equal
    /// keys into runs, and returns the run keys and their occurrence counts (as floats).
    /// The returned spans stay valid until the next raw operation.
    /// </summary>
    internal int SortAndCollapse(int keyBits, out Span<uint> runKeys, out Span<float> runCounts)
    {
        var n = _rawCount;
        var keys = _raw.AsSpan(0, n);
        if (n <= InsertionSortLimit)
        {
            InsertionSort(keys);
        }
        else
        {
            RadixSort(keyBits);
            keys = _raw.AsSpan(0, n);
        }

        var runs = 0;
        var counts = _runWeights.AsSpan(0, n);
        for (var i = 0; i < n;)
        {
            var key = keys[i];
            var j = i + 1;
            while (j < n && keys[j] == key) j++;
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
        var n = _rawCount;
        var source = _raw;
        var target = _scratch;
        for (var shift = 0; shift < keyBits; shift += RadixBits)
        {
            var histogram = _histogram.AsSpan();
            histogram.Clear();
            for (var i = 0; i < n; i++) histogram[(int)((source[i] >> shift) & (RadixBuckets - 1))]++;
            var sum = 0;
            for (var b = 0; b < RadixBuckets; b++)
            {
                var c = histogram[b];
                histogram[b] = sum;
                sum += c;
            }

            for (var i = 0; i < n; i++)
            {
                var key = source[i];
                target[histogram[(int)((key >> shift) & (RadixBuckets - 1))]++] = key;
            }

            (source, target) = (target, source);
        }

        _raw = source;
        _scratch = target;
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
