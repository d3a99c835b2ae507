namespace RightSize.Server.Buffers;

/// <summary>
/// Bytes that many requests draw on together, taken all or nothing and given back when done, so
/// that what they hold at once stays bounded. Read at start-up only.
/// </summary>
internal class ByteBudget(long capacity)
{
    private long _available = capacity;

    /// <summary>The bytes the budget holds in all (for request bodies: no body larger can ever be routed, whatever <c>MaxRequestBodyBytes</c> says).</summary>
    public long Capacity { get; } = capacity;

    /// <summary>The bytes taken at the moment.</summary>
    public long Used => Capacity - Available;

    /// <summary>The bytes not taken at the moment.</summary>
    public long Available => Interlocked.Read(ref _available);

    /// <summary>Takes <paramref name="bytes"/> from the budget if that many are left; all or nothing.</summary>
    public bool TryTake(long bytes)
    {
        var available = Interlocked.Read(ref _available);
        while (available >= bytes)
        {
            var seen = Interlocked.CompareExchange(ref _available, available - bytes, available);
            if (seen == available) return true;
            available = seen;
        }

        return false;
    }

    /// <summary>Gives back bytes taken with <see cref="TryTake"/>.</summary>
    public void Return(long bytes) => Interlocked.Add(ref _available, bytes);
}
