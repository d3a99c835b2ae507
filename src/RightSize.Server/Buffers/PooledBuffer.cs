using System.Buffers;

namespace RightSize.Server.Buffers;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}"/>; returns its array on dispose.
/// Arrays over <see cref="MaxPooledLength"/> (a body of megabytes) are allocated and left to the
/// GC instead: the shared pool keeps what it is given per core and per size for good, so a burst of
/// large bodies would otherwise stay in memory after it has passed (about 270 MB of live heap
/// after rounds of twelve 4 MiB bodies, against a 512 MiB container limit).
/// </summary>
internal sealed class PooledBuffer : IBufferWriter<byte>, IDisposable
{
    /// <summary>The largest array taken from and given back to the shared pool.</summary>
    internal const int MaxPooledLength = 1024 * 1024;

    private byte[] _array;
    private int _count;

    public PooledBuffer(int initialCapacity = 4096)
    {
        _array = Rent(Math.Max(initialCapacity, 256));
    }

    public int Count => _count;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _count);

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _count);

    /// <summary>The underlying array; valid until the next write or dispose.</summary>
    public byte[] Array => _array;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_count + count > _array.Length) throw new InvalidOperationException("Advanced past the end of the buffer.");
        _count += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_count);
    }

    public void Clear() => _count = 0;

    /// <summary>Drops what is written and gives a large array back to the pool, keeping a small one for what comes next.</summary>
    public void Release(int capacity = 4096)
    {
        _count = 0;
        if (_array.Length <= capacity) return;
        var array = _array;
        _array = Rent(capacity);
        Return(array);
    }

    /// <summary>Drops the first <paramref name="count"/> written bytes, keeping the rest at the start.</summary>
    public void DiscardPrefix(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _count);
        _array.AsSpan(count, _count - count).CopyTo(_array);
        _count -= count;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _count = 0;
        if (array.Length > 0) Return(array);
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_array.Length - _count >= needed) return;
        var grown = Rent((int)Math.Min(System.Array.MaxLength, Math.Max(_array.Length * 2L, (long)_count + needed)));
        _array.AsSpan(0, _count).CopyTo(grown);
        Return(_array);
        _array = grown;
    }

    private static byte[] Rent(int length) =>
        length > MaxPooledLength ? GC.AllocateUninitializedArray<byte>(length) : ArrayPool<byte>.Shared.Rent(length);

    private static void Return(byte[] array)
    {
        if (array.Length <= MaxPooledLength) ArrayPool<byte>.Shared.Return(array);
    }
}
