using System.Buffers;
using System.Text;
using RightSize.OpenAI.Streaming;

namespace RightSize.OpenAI.Tests.Streaming;

public class SseReaderTests
{
    private const string OpenAIStream =
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
        ": keep-alive\n\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hé 😀\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n" +
        "data: [DONE]\n\n";

    private const string FeatureStream =
        "event: delta\r\ndata: first\r\ndata:second\r\n\r\n" +
        "id: 7\rretry: 1000\r:comment\rdata\r\r" +
        "unknown: x\nevent: ignored-without-data\n\n" +
        "data:  two spaces\n\n" +
        "data: [DONE]\n\n" +
        "data: no terminating blank line\n";

    private static readonly (string? Name, string Data)[] FeatureEvents =
    [
        ("delta", "first\nsecond"),
        (null, ""),
        (null, " two spaces"),
        (null, "[DONE]"),
    ];

    private static List<(string? Name, string Data)> Drain(SseReader reader)
    {
        var events = new List<(string? Name, string Data)>();
        while (reader.TryRead(out var sseEvent))
        {
            var name = sseEvent.EventType.IsEmpty ? null : Encoding.UTF8.GetString(sseEvent.EventType.Span);
            events.Add((name, Encoding.UTF8.GetString(sseEvent.Data.Span)));
        }

        return events;
    }

    private static List<(string? Name, string Data)> ReadInChunks(byte[] stream, params int[] cuts)
    {
        using var reader = new SseReader();
        var events = new List<(string? Name, string Data)>();
        var start = 0;
        foreach (var cut in cuts.Append(stream.Length))
        {
            reader.Append(stream.AsSpan(start, cut - start));
            events.AddRange(Drain(reader));
            start = cut;
        }

        return events;
    }

    [Fact]
    public void TryRead_OpenAIStream_YieldsEveryChunkThenDone()
    {
        var events = ReadInChunks(Encoding.UTF8.GetBytes(OpenAIStream));

        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Null(e.Name));
        Assert.Contains("\"content\":\"Hé 😀\"", events[1].Data);
        Assert.StartsWith("{\"id\":\"chatcmpl-1\"", events[3].Data);
        Assert.Equal("[DONE]", events[4].Data);
    }

    [Fact]
    public void TryRead_FieldsCommentsAndLineEndings_FollowTheSseRules()
    {
        using var reader = new SseReader();
        reader.Append(Encoding.UTF8.GetBytes(FeatureStream));

        Assert.Equal(FeatureEvents, Drain(reader));
        Assert.True(reader.HasPendingData);
    }

    [Theory]
    [InlineData(OpenAIStream)]
    [InlineData(FeatureStream)]
    public void TryRead_StreamCutAtEveryByteBoundary_YieldsSameEvents(string text)
    {
        var stream = Encoding.UTF8.GetBytes(text);
        var expected = ReadInChunks(stream);
        Assert.NotEmpty(expected);

        for (var cut = 0; cut <= stream.Length; cut++)
        {
            Assert.Equal(expected, ReadInChunks(stream, cut));
        }
    }

    [Fact]
    public void TryRead_StreamCutAtEveryPairOfBoundaries_YieldsSameEvents()
    {
        var stream = Encoding.UTF8.GetBytes(FeatureStream);
        var expected = ReadInChunks(stream);

        for (var first = 0; first <= stream.Length; first++)
        {
            for (var second = first; second <= stream.Length; second++)
            {
                Assert.Equal(expected, ReadInChunks(stream, first, second));
            }
        }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void TryRead_AnyLineEndingFedByteByByte_YieldsSameEvents(string newline)
    {
        var text = OpenAIStream.Replace("\n", newline);
        var stream = Encoding.UTF8.GetBytes(text);

        var events = ReadInChunks(stream, Enumerable.Range(1, stream.Length - 1).ToArray());

        Assert.Equal(ReadInChunks(Encoding.UTF8.GetBytes(OpenAIStream)), events);
    }

    [Fact]
    public void TryRead_ByteOrderMarkSplitAcrossChunks_IsIgnored()
    {
        byte[] stream = [0xEF, 0xBB, 0xBF, .. "data: x\n\n"u8];

        for (var cut = 0; cut <= stream.Length; cut++)
        {
            var events = ReadInChunks(stream, cut);
            Assert.Equal([(null, "x")], events);
        }
    }

    [Fact]
    public void TryRead_ByteOrderMarkAfterStart_IsNotStripped()
    {
        using var reader = new SseReader();
        reader.Append("data: a\n\n"u8);
        reader.Append([0xEF, 0xBB, 0xBF, .. "data: b\n\ndata: c\n\n"u8]);

        // Only the stream's first bytes may be a byte order mark; later it makes the field name unknown.
        Assert.Equal([(null, "a"), (null, "c")], Drain(reader));
    }

    [Fact]
    public void TryRead_DoneSentinelAndLookalikes_KeepTheirDataExactly()
    {
        using var reader = new SseReader();
        reader.Append("data: [DONE]\n\ndata: [DONE] \n\ndata: {\"x\":\"[DONE]\"}\n\n"u8);

        Assert.Equal([(null, "[DONE]"), (null, "[DONE] "), (null, "{\"x\":\"[DONE]\"}")], Drain(reader));
        Assert.False(reader.HasPendingData);
    }

    [Fact]
    public void Append_LargeEventsAcrossManyChunks_GrowsBuffers()
    {
        var payload = new string('x', 200_000);
        var stream = Encoding.UTF8.GetBytes($"data: {payload}\ndata: {payload}\n\n");

        var events = ReadInChunks(stream, Enumerable.Range(1, 100).Select(i => i * 3_999).ToArray());

        Assert.Equal(payload + "\n" + payload, Assert.Single(events).Data);
    }

    [Fact]
    public void Append_ReadOnlySequence_ReadsEverySegment()
    {
        var first = new Segment("data: he"u8.ToArray());
        var last = first.Append("llo\n\n"u8.ToArray());
        using var reader = new SseReader();

        reader.Append(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        Assert.Equal([(null, "hello")], Drain(reader));
    }

    [Fact]
    public void Append_LineOverTheCap_ThrowsInvalidDataException()
    {
        using var reader = new SseReader(maxBufferedBytes: 1024);
        var line = Encoding.UTF8.GetBytes("data: " + new string('x', 2000));

        Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var chunk in line.Chunk(100))
            {
                reader.Append(chunk);
                reader.TryRead(out _);
            }
        });
    }

    [Fact]
    public void TryRead_AfterDispose_ThrowsObjectDisposedException()
    {
        var reader = new SseReader();
        reader.Dispose();
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.TryRead(out _));
        Assert.Throws<ObjectDisposedException>(() => reader.Append("x"u8));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
