using System.Buffers;
using System.Text.Json;
using RightSize.OpenAI.Rewriting;
using RightSize.OpenAI.Streaming;
using RightSize.OpenAI.Usage;

namespace RightSize.OpenAI.Tests;

// The hot-path pieces promise no per-request allocation; measure it on the current thread.
public class AllocationTests
{
    private static readonly byte[] Body = """{"messages":[{"role":"user","content":"hi"}],"x_vendor":{"a":[1,2,3]},"model":"auto","stream":true,"stream_options":{"include_usage":false}}"""u8.ToArray();

    private static readonly byte[] UsageChunk = """{"id":"c","choices":[],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":3}}}"""u8.ToArray();

    private static readonly byte[] Stream = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n"u8.ToArray();

    private static long AllocatedBy(Action action)
    {
        action();
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Rewrite_WithPreEncodedModel_AllocatesNothing()
    {
        var model = JsonEncodedText.Encode("gpt-4.1-mini");
        var buffer = new ArrayBufferWriter<byte>(1024);

        var allocated = AllocatedBy(() =>
        {
            buffer.ResetWrittenCount();
            RequestBodyRewriter.Rewrite(Body, model, ensureIncludeUsage: true, buffer);
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TryParseChunk_UsageChunk_AllocatesNothing()
    {
        var found = 0;

        var allocated = AllocatedBy(() => found += UsageParser.TryParseChunk(UsageChunk, out _, out _) ? 1 : 0);

        Assert.Equal(0, allocated);
        Assert.Equal(102, found);
    }

    [Fact]
    public void SseReader_SteadyState_AllocatesNothing()
    {
        using var reader = new SseReader();
        var events = 0;

        var allocated = AllocatedBy(() =>
        {
            reader.Append(Stream);
            while (reader.TryRead(out var sseEvent))
            {
                events += sseEvent.Data.Length > 0 ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(204, events);
    }
}
