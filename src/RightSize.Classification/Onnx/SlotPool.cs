namespace RightSize.Classification.Onnx;

/// <summary>
/// A small lock-free pool of reusable objects: renting and returning allocate nothing. When
/// every slot is busy a new object is made; when every slot is full a returned object is dropped
/// (and disposed when it is <see cref="IDisposable"/>).
/// </summary>
internal sealed class SlotPool<T>(Func<T> factory, int size) : IDisposable
    where T : class
{
    private readonly T?[] _slots = new T?[size];

    public T Rent()
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            var item = Interlocked.Exchange(ref _slots[i], null);
            if (item is not null) return item;
        }

        return factory();
    }

    public void Return(T item)
    {
        for (var i = 0; i < _slots.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _slots[i], item, null) is null) return;
        }

        (item as IDisposable)?.Dispose();
    }

    public void Dispose()
    {
        for (var i = 0; i < _slots.Length; i++) (Interlocked.Exchange(ref _slots[i], null) as IDisposable)?.Dispose();
    }
}
