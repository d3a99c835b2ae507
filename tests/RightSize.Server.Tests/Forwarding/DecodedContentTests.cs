using System.IO.Compression;
using System.IO.Pipelines;
using System.Text;
using RightSize.Server.Forwarding;
using RightSize.Server.Resilience;

namespace RightSize.Server.Tests.Forwarding;

/// <summary>A compressed upstream body read decoded: its headers for the client, its bytes, and bytes that do not decode.</summary>
public sealed class DecodedContentTests
{
    private const string Events = "data: {\"id\":\"c1\"}\n\ndata: [DONE]\n\n";

    [Fact]
    public void Headers_CompressedBody_EncodingAndLengthDroppedTheRestKept()
    {
        using var encoded = Compressed(Encoding.UTF8.GetBytes(Events), "text/event-stream");
        encoded.Headers.TryAddWithoutValidation("Content-Language", "en");

        using var decoded = new DecodedContent(encoded, ["gzip"], NewGuard());

        Assert.Empty(decoded.Headers.ContentEncoding);
        Assert.Null(decoded.Headers.ContentLength);
        Assert.False(decoded.Headers.NonValidated.Contains("Content-Encoding"));
        Assert.False(decoded.Headers.NonValidated.Contains("Content-Length"));
        Assert.Equal("text/event-stream", decoded.Headers.ContentType?.MediaType);
        Assert.Equal(["en"], decoded.Headers.ContentLanguage);
    }

    [Fact]
    public async Task ReadAsStream_CompressedBody_DecodedBytes()
    {
        using var decoded = new DecodedContent(Compressed(Encoding.UTF8.GetBytes(Events), "text/event-stream"), ["gzip"], NewGuard());

        var text = await decoded.ReadAsStringAsync(Cancel);

        Assert.Equal(Events, text);
    }

    [Fact]
    public async Task ReadAsStream_EventStreamThatStopsDecoding_EventsSoFarThenTheEndWithUpstreamErrorRecorded()
    {
        var upstream = new Pipe();
        var guard = NewGuard();
        using var encoded = new StreamContent(upstream.Reader.AsStream());
        encoded.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        using var decoded = new DecodedContent(new GuardedContent(encoded, guard), ["gzip"], guard); // as the gateway stacks them: the guard tells the event stream
        await using var body = await decoded.ReadAsStreamAsync(Cancel);
        var buffer = new byte[1024];

        await upstream.Writer.WriteAsync(SyncFlushed("data: {\"id\":\"c1\"}\n\n"), Cancel);
        var first = await body.ReadAsync(buffer, Cancel);
        await upstream.Writer.WriteAsync(new byte[] { 0xFF, 0xFF }, Cancel); // a deflate block of the reserved type
        await upstream.Writer.CompleteAsync();
        var next = await body.ReadAsync(buffer, Cancel);

        Assert.Equal("data: {\"id\":\"c1\"}\n\n", Encoding.UTF8.GetString(buffer, 0, first));
        Assert.Equal(0, next);
        Assert.Equal(AttemptFailures.UpstreamError, guard.Failure);
    }

    [Fact]
    public async Task ReadAsStream_JsonBodyThatDoesNotDecode_FailsWithUpstreamErrorRecorded()
    {
        var guard = NewGuard();
        using var decoded = new DecodedContent(Compressed("not gzip at all"u8.ToArray(), "application/json", whole: false), ["gzip"], guard);

        await Assert.ThrowsAsync<InvalidDataException>(() => decoded.ReadAsStringAsync(Cancel));

        Assert.Equal(AttemptFailures.UpstreamError, guard.Failure);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static StreamGuard NewGuard() => new(CancellationToken.None, CancellationToken.None, CancellationToken.None);

    /// <summary>An upstream body declared <c>Content-Encoding: gzip</c>: <paramref name="body"/> gzipped, or as given when not <paramref name="whole"/>.</summary>
    private static ByteArrayContent Compressed(byte[] body, string contentType, bool whole = true)
    {
        var bytes = whole ? Gzip(body) : body;
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        content.Headers.TryAddWithoutValidation("Content-Encoding", "gzip");
        content.Headers.ContentLength = bytes.Length;
        return content;
    }

    private static byte[] Gzip(byte[] body)
    {
        using var encoded = new MemoryStream();
        using (var gzip = new GZipStream(encoded, CompressionLevel.Fastest)) gzip.Write(body);
        return encoded.ToArray();
    }

    /// <summary>The start of a gzip stream holding <paramref name="text"/>, flushed so it decodes, and not ended.</summary>
    private static byte[] SyncFlushed(string text)
    {
        using var encoded = new MemoryStream();
        using var gzip = new GZipStream(encoded, CompressionLevel.Fastest, leaveOpen: true);
        gzip.Write(Encoding.UTF8.GetBytes(text));
        gzip.Flush();
        return encoded.ToArray(); // taken before disposing writes the stream's end
    }
}
