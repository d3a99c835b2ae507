using System.Runtime.CompilerServices;

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
        _runWeights = new float[initialCapacity];
    }

    /// <summary>Number of non-zero features.</summary>
    public int Count { get; private set; }

    /// <summary>The feature indices, unique and ascending.</summary>
    public ReadOnlySpan<long> IndicesSpan => _indices.AsSpan(0, Count);

    /// <summary>The feature values, aligned with <see cref="IndicesSpan"/>.</summary>
    public ReadOnlySpan<float> ValuesSpan => _values.AsSpan(0, Count);

    /// <summary>Removes every feature; keeps the buffers.</summary>
    public void Clear()
    {
        Count = 0;
        _rawCount = 0;
    }

    /// <summary>Appends an entry whose index is greater than every index already present.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AppendOrdered(long index, float value)
    {
        if (Count == _indices.Length) EnsureCapacity(Count + 1);
        _indices[Count] = index;
        _values[Count] = value;
        Count++;
    }

    /// <summary>
    /// Room for up to <paramref name="count"/> entries after the last one, to be filled in index
    /// order above every index present and then kept with <see cref="CommitAppended"/>.
    /// </summary>
    internal Span<long> AppendSpace(int count, out Span<float> values)
    {
        EnsureCapacity(Count + count);
        values = _values.AsSpan(Count, count);
        return _indices.AsSpan(Count, count);
    }

    /// <summary>Keeps the first <paramref name="count"/> entries written through <see cref="AppendSpace"/>.</summary>
    internal void CommitAppended(int count) => Count += count;

    private void EnsureCapacity(int capacity)
    {
        if (capacity > _indices.Length) Grow(capacity);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed)
    {
        var size = Math.Max(needed, _indices.Length * 2);
        Array.Resize(ref _indices, size);
        Array.Resize(ref _values, size);
    }
}
