namespace RightSize.Upstream.Simulator.Journal;

/// <summary>
/// A thread-safe record of the requests a simulator received, newest last, bounded by
/// <see cref="SimulatorOptions.MaxRecordedRequests"/>. Tests read it with <see cref="Snapshot"/>
/// or wait for a request, or for its end, with <see cref="WaitForAsync"/> and its helpers.
/// </summary>
public sealed class RequestJournal
{
    private readonly Lock _gate = new();
    private readonly Queue<RecordedRequest> _entries = new();
    private readonly List<Waiter> _waiters = [];
    private readonly int _capacity;
    private long _received;

    /// <summary>Creates a journal that keeps at most <paramref name="capacity"/> requests.</summary>
    public RequestJournal(int capacity = SimulatorConstants.DefaultMaxRecordedRequests)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>The number of requests held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The number of requests received since start, including dropped and cleared ones.</summary>
    public long TotalReceived => Interlocked.Read(ref _received);

    /// <summary>The requests held now, oldest first. The entries are live: their outcome may still change.</summary>
    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    /// <summary>Forgets every held request (pending waits keep waiting for new events).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>
    /// Completes with the first request, held now or recorded or changed later, that matches
    /// <paramref name="predicate"/>; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// The predicate is checked again whenever a request arrives or ends.
    /// </summary>
    public async Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        Waiter waiter;
        lock (_gate)
        {
            foreach (var entry in _entries)
            {
                if (predicate(entry))
                {
                    return entry;
                }
            }

            waiter = new Waiter(predicate);
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No recorded request matched within {timeout.TotalSeconds:0.###} s; the journal holds: {Describe()}");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Waits for a request for <paramref name="model"/> to arrive.</summary>
    public Task<RecordedRequest> WaitForRequestAsync(string model, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return WaitForAsync(r => string.Equals(r.Model, model, StringComparison.Ordinal), timeout, cancellationToken);
    }

    /// <summary>Waits for a request (for <paramref name="model"/>, or any when null) whose client disconnected mid-answer.</summary>
    public Task<RecordedRequest> WaitForClientAbortAsync(string? model, TimeSpan timeout, CancellationToken cancellationToken = default)
        => WaitForAsync(
            r => r.ClientAborted && (model is null || string.Equals(r.Model, model, StringComparison.Ordinal)),
            timeout,
            cancellationToken);

    /// <summary>Waits for a request (for <paramref name="model"/>, or any when null) to end in any way.</summary>
    public Task<RecordedRequest> WaitForEndAsync(string? model, TimeSpan timeout, CancellationToken cancellationToken = default)
        => WaitForAsync(
            r => r.Outcome != RequestOutcome.Pending && (model is null || string.Equals(r.Model, model, StringComparison.Ordinal)),
            timeout,
            cancellationToken);

    /// <summary>
    /// Numbers and keeps a new request. The number is taken and the entry queued under one lock, so
    /// the queue stays in sequence order and eviction always drops the oldest. <paramref name="create"/>
    /// runs under that lock: keep it to building the entry.
    /// </summary>
    internal RecordedRequest Record(Func<long, RecordedRequest> create)
    {
        RecordedRequest entry;
        lock (_gate)
        {
            entry = create(Interlocked.Increment(ref _received));
            if (_capacity > 0)
            {
                if (_entries.Count == _capacity)
                {
                    _entries.Dequeue();
                }

                _entries.Enqueue(entry);
            }
        }

        Notify(entry);
        return entry;
    }

    internal void End(RecordedRequest entry, RequestOutcome outcome)
    {
        if (entry.TryEnd(outcome))
        {
            Notify(entry);
        }
    }

    private void Notify(RecordedRequest entry)
    {
        List<Waiter>? matched = null;
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                if (waiter.Matches(entry))
                {
                    (matched ??= []).Add(waiter);
                }
            }
        }

        if (matched is not null)
        {
            foreach (var waiter in matched)
            {
                waiter.Completion.TrySetResult(entry);
            }
        }
    }

    private string Describe()
    {
        var entries = Snapshot();
        return entries.Count == 0 ? "nothing" : string.Join("; ", entries.TakeLast(10));
    }

    private sealed class Waiter(Func<RecordedRequest, bool> predicate)
    {
        public TaskCompletionSource<RecordedRequest> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Matches(RecordedRequest entry)
        {
            try
            {
                return predicate(entry);
            }
#pragma warning disable CA1031 // A test's predicate that throws simply does not match.
            catch (Exception)
#pragma warning restore CA1031
            {
                return false;
            }
        }
    }
}
