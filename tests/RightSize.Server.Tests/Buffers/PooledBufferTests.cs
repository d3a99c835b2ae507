using RightSize.Server.Buffers;

namespace RightSize.Server.Tests.Buffers;

/// <summary>The pooled buffer gives a large array back when asked, so a request that no longer holds a body does not pin one.</summary>
public sealed class PooledBufferTests
{
    [Fact]
    public void Release_AfterGrowingLarge_KeepsASmallArrayAndNothingWritten()
    {
        using var buffer = new PooledBuffer(16);
        buffer.GetSpan(4 * 1024 * 1024).Fill(1);
        buffer.Advance(4 * 1024 * 1024);

        buffer.Release();

        Assert.Equal(0, buffer.Count);
        Assert.InRange(buffer.Array.Length, 1, 4096);
        buffer.GetSpan(3)[..3].Fill(7);
        buffer.Advance(3);
        Assert.Equal([7, 7, 7], buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Release_SmallArray_KeptAsItIs()
    {
        using var buffer = new PooledBuffer(256);
        var array = buffer.Array;
        buffer.Advance(10);

        buffer.Release();

        Assert.Same(array, buffer.Array);
        Assert.Equal(0, buffer.Count);
    }

    [Fact]
    public void Dispose_ABodyOfMegabytes_ItsArrayIsNotKeptByTheSharedPool()
    {
        // The shared pool would keep it for good: a burst of large bodies would stay in memory.
        var buffer = new PooledBuffer();
        buffer.GetSpan(4 * 1024 * 1024).Fill(1);
        buffer.Advance(4 * 1024 * 1024);
        var array = buffer.Array;
        buffer.Dispose();

        var next = System.Buffers.ArrayPool<byte>.Shared.Rent(array.Length);
        System.Buffers.ArrayPool<byte>.Shared.Return(next);

        Assert.NotSame(array, next);
    }
}
