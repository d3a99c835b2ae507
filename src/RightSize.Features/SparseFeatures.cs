namespace RightSize.Features;

/// <summary>
/// A reusable sparse feature vector: unique indices in ascending order with their values.
/// One instance per caller (not thread-safe); <see cref="FeatureExtractor.Extract"/> clears and
/// refills it. Buffers grow on demand and are then reused, so steady-state extraction does not
/// allocate.
/// </summary>
public sealed partial class SparseFeatures
{
    private long[] _indices;
    private float[] _values;

    public SparseFeatures(int initialCapacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _indices = new long[initialCapacity];
        _values = new float[initialCapacity];
        _raw = new uint[initialCapacity];
        _scratch = new uint[initialCapacity];
        _runWeights = new float[initialCapacity];
    }

    /// <summary>Number of non-zero features.</summary>
    public int Count { get; private set; }

    /// <summary>The feature indices, unique and ascending.</summary>
    public ReadOnlySpan<long> IndicesSpan => _indices.AsSpan(0, Count);

    /// <summary>The feature values, aligned with <see cref="IndicesSpan"/>.</summary>
    public ReadOnlySpan<float> ValuesSpan => _values.AsSpan(0, Count);

    /// <summary>Current capacity of the output buffers.</summary>
    public int Capacity => _indices.Length;

    /// <summary>Removes every feature; keeps the buffers.</summary>
    public void Clear()
    {
        Count = 0;
        _rawCount = 0;
    }

    /// <summary>Appends an entry whose index is greater than every index already present.</summary>
    internal void AppendOrdered(long index, float value)
    {
        if (Count == _indices.Length) Grow(ref _indices, ref _values, Count + 1);
        _indices[Count] = index;
        _values[Count] = value;
        Count++;
    }

    /// <summary>Adds <paramref name="value"/> to the last entry when it has <paramref name="index"/>, else appends.</summary>
    internal void AppendOrMerge(long index, float value)
    {
        if (Count > 0 && _indices[Count - 1] == index)
        {
            _values[Count - 1] += value;
            return;
        }

        AppendOrdered(index, value);
    }

    private static void Grow(ref long[] indices, ref float[] values, int needed)
    {
        var size = Math.Max(needed, indices.Length * 2);
        Array.Resize(ref indices, size);
        Array.Resize(ref values, size);
    }
}
