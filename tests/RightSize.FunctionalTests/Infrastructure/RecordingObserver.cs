using System.Collections.Concurrent;
using RightSize.Server.Observability;

namespace RightSize.FunctionalTests.Infrastructure;

/// <summary>Keeps every completed request record, for tests that check what the gateway learnt.</summary>
internal sealed class RecordingObserver : IRequestObserver
{
    private readonly ConcurrentQueue<RequestRecord> _completed = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyCollection<RequestRecord> Completed => _completed;

    public object? OnAttemptStarted(RequestRecord request, AttemptRecord attempt) => null;

    public void OnAttemptEnded(RequestRecord request, AttemptRecord attempt, object? state)
    {
    }

    public void OnCompleted(RequestRecord request)
    {
        _completed.Enqueue(request);
        _arrived.Release();
    }

    /// <summary>Waits for the next completed record (the gateway reports after the response body ends).</summary>
    public async Task<RequestRecord> NextAsync()
    {
        Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(10)), "no request completed");
        Assert.True(_completed.TryDequeue(out var record));
        return record;
    }
}
