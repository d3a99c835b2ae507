namespace RightSize.Features;

/// <summary>The scratch side of <see cref="SparseFeatures"/>: raw hashed keys before they are counted and merged.</summary>
public sealed partial class SparseFeatures
{
    private uint[] _raw;
    private float[] _runWeights;
    private ulong[] _text = [];
    private int _rawCount;

    /// <summary>Records one occurrence of a hashed key (bucket and block packed by the extractor).</summary>
    internal void AddRaw(uint key)
    {
        if (_rawCount == _raw.Length) GrowRaw(_rawCount + 1);
        _raw[_rawCount++] = key;
    }

    /// <summary>Reserves <paramref name="count"/> raw keys at the end; the caller fills every one of them.</summary>
    internal Span<uint> AppendRaw(int count)
    {
        if (_raw.Length - _rawCount < count) GrowRaw(_rawCount + count);
        var span = _raw.AsSpan(_rawCount, count);
        _rawCount += count;
        return span;
    }

    /// <summary>A scratch buffer of at least <paramref name="length"/> widened characters (contents undefined).</summary>
    internal Span<ulong> TextScratch(int length)
    {
        if (_text.Length < length) _text = new ulong[Math.Max(length, _text.Length * 2)];
        return _text.AsSpan(0, length);
    }

    private void GrowRaw(int needed)
    {
        var size = Math.Max(needed, _raw.Length * 2);
        Array.Resize(ref _raw, size);
        _runWeights = new float[size];
    }
}
