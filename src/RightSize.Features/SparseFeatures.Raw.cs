namespace RightSize.Features;

/// <summary>The scratch side of <see cref="SparseFeatures"/>: raw hashed keys before they are counted and merged.</summary>
public sealed partial class SparseFeatures
{
    private uint[] _raw;
    private float[] _runWeights;
    private ulong[] _text = [];
    private int _rawCount;

    /// <summary>Room for up to <paramref name="count"/> raw keys after the last one; keep those written with <see cref="CommitRaw"/>.</summary>
    internal Span<uint> RawSpace(int count)
    {
        if (_raw.Length - _rawCount < count) GrowRaw(_rawCount + count);
        return _raw.AsSpan(_rawCount, count);
    }

    /// <summary>Keeps the first <paramref name="count"/> keys written through <see cref="RawSpace"/>.</summary>
    internal void CommitRaw(int count) => _rawCount += count;

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
