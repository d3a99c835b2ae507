using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>An <see cref="ILoggerProvider"/> that keeps every record, for asserting on logged errors.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message);

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Waits (bounded) for a record with the event id, logged after <paramref name="after"/> records.</summary>
    public async Task<Entry> WaitForAsync(int eventId, int after, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var match = Entries.Skip(after).FirstOrDefault(e => e.EventId.Id == eventId);
            if (match is not null) return match;
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"No log event {eventId} within {timeout}. Logged:\n{string.Join('\n', Entries.Select(e => $"{e.Level} {e.EventId.Id} {e.Category}: {e.Message}"))}");
            }

            await Task.Delay(50);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception)));
        }
    }
}
