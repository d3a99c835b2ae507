using System.Buffers;

namespace RightSize.OpenAI.Rewriting;

/// <summary>Copies the untouched ranges of a source body to an output and splices new bytes between them.</summary>
internal ref struct SpliceWriter
{
    private readonly ReadOnlySpan<byte> _source;
    private readonly IBufferWriter<byte> _output;
    private int _cursor;

    public SpliceWriter(ReadOnlySpan<byte> source, IBufferWriter<byte> output)
    {
        _source = source;
        _output = output;
    }

    public int Written { get; private set; }

    /// <summary>Copies the source from the cursor up to <paramref name="index"/> (exclusive).</summary>
    public void CopyTo(int index)
    {
        if (index > _cursor)
        {
            Write(_source[_cursor..index]);
            _cursor = index;
        }
    }

    /// <summary>Drops the source from the cursor up to <paramref name="index"/>: it is being replaced.</summary>
    public void SkipTo(int index) => _cursor = index;

    /// <summary>Writes new bytes at the current position.</summary>
    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        Written += bytes.Length;
    }

    /// <summary>Replaces the source range [<paramref name="start"/>, <paramref name="end"/>) with <paramref name="bytes"/>.</summary>
    public void Replace(int start, int end, scoped ReadOnlySpan<byte> bytes)
    {
        CopyTo(start);
        Write(bytes);
        SkipTo(end);
    }
}
