using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>A Serilog sink that keeps every event, registered in the gateway's DI (picked up by <c>ReadFrom.Services</c>).</summary>
public sealed class MemorySink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Every event as the host writes it: rendered compact JSON, one line each.</summary>
    public string RenderAll()
    {
        var formatter = new RenderedCompactJsonFormatter();
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var logEvent in _events) formatter.Format(logEvent, writer);
        return writer.ToString();
    }
}
