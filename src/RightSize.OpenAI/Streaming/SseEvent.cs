namespace RightSize.OpenAI.Streaming;

/// <summary>
/// One dispatched Server-Sent Event. Its memory belongs to the <see cref="SseReader"/> that produced
/// it and stays valid only until the next call to <see cref="SseReader.TryRead"/>, <see cref="SseReader.Append(ReadOnlySpan{byte})"/>
/// or <see cref="SseReader.Dispose"/>: copy what must outlive that.
/// </summary>
public readonly struct SseEvent
{
    internal SseEvent(ReadOnlyMemory<byte> eventType, ReadOnlyMemory<byte> data)
    {
        EventType = eventType;
        Data = data;
    }

    /// <summary>The UTF-8 <c>event:</c> field; empty when the event had none (the SSE default type, <c>message</c>).</summary>
    public ReadOnlyMemory<byte> EventType { get; }

    /// <summary>The UTF-8 data: every <c>data:</c> line of the event, joined by <c>\n</c>.</summary>
    public ReadOnlyMemory<byte> Data { get; }
}
