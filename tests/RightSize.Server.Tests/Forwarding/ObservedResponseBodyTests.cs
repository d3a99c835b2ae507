using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Usage;
using RightSize.Server.Forwarding;
using RightSize.Server.Observability;
using RightSize.Server.Resilience;

namespace RightSize.Server.Tests.Forwarding;

/// <summary>The client's side of an upstream response: whole events for a stream, a held body otherwise, and a bound on what is held.</summary>
public sealed class ObservedResponseBodyTests
{
    /// <summary>Events framed every way SSE allows: LF, CRLF, CR, a comment, two data lines, a blank line before an event.</summary>
    private static readonly string[] EventList =
        ["data: {\"id\":\"c1\"}\n\n", ": keep-alive\r\n\r\n", "data: {\"id\":\"c2\"}\r\r", "data: a\ndata: b\n\n", "\ndata: [DONE]\n\n"];

    private static readonly string Events = string.Concat(EventList);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task Stream_WrittenInPiecesOfAnySize_ClientGetsTheSameBytesOneWholeEventAtATime(int pieceSize)
    {
        var (body, client, _) = Create(streaming: true);
        var bytes = Encoding.UTF8.GetBytes(Events);
        var boundaries = new List<long>();

        for (var i = 0; i < bytes.Length; i += pieceSize)
        {
            await body.WriteAsync(bytes.AsMemory(i, Math.Min(pieceSize, bytes.Length - i)), Cancel);
            boundaries.Add(client.Length);
        }

        await body.CompleteAsync(Cancel);

        Assert.Equal(Events, Encoding.UTF8.GetString(client.ToArray()));
        // Every length the client saw ended at an event's end (or was nothing yet). An event whose
        // empty line is a CRLF is whole at that line's CR: a piece that stops there passes it on,
        // and the LF goes with the next event.
        var eventEnds = Enumerable.Range(0, EventList.Length + 1).Select(n => (long)string.Concat(EventList.Take(n)).Length).ToList();
        var atTheCR = eventEnds.Select((end, n) => n > 0 && EventList[n - 1].EndsWith("\r\n\r\n", StringComparison.Ordinal) ? end - 1 : end).ToList();
        Assert.All(boundaries, length => Assert.True(eventEnds.Contains(length) || atTheCR.Contains(length), $"{length} is inside an event"));
        if (pieceSize == 1) Assert.Equal(atTheCR.Order(), boundaries.Prepend(0).Distinct().Order()); // each event as soon as it is whole
    }

    [Fact]
    public async Task Stream_EventLongerThanTheHoldingLimit_RecordsACutAndDropsTheRest()
    {
        // The forwarder then sends the error event and cuts the connection, as for a cut upstream.
        var (body, client, guard) = Create(streaming: true);
        await body.WriteAsync("data: {\"id\":\"c1\"}\n\n"u8.ToArray(), Cancel);
        var piece = new byte[1024 * 1024];
        Array.Fill(piece, (byte)'y');

        for (var i = 0; i <= ObservedResponseBody.MaxHeldBytes / piece.Length; i++) await body.WriteAsync(piece, Cancel);
        await body.WriteAsync("\n\ndata: {\"id\":\"c2\"}\n\n"u8.ToArray(), Cancel);

        Assert.Equal("response-cut", guard.Failure);
        Assert.Equal("data: {\"id\":\"c1\"}\n\n", Encoding.UTF8.GetString(client.ToArray()));
        Assert.InRange(body.HeldCapacity, 1, 64 * 1024);
    }

    [Fact]
    public async Task Stream_FirstEventLongerThanTheHoldingLimit_RecordsACutWithNothingSent()
    {
        // Nothing has reached the client, so the next tier may still answer it.
        var (body, client, guard) = Create(streaming: true);
        var piece = new byte[1024 * 1024];
        Array.Fill(piece, (byte)'y');

        await body.WriteAsync("data: "u8.ToArray(), Cancel);
        for (var i = 0; i <= ObservedResponseBody.MaxHeldBytes / piece.Length; i++) await body.WriteAsync(piece, Cancel);

        Assert.Equal("response-cut", guard.Failure);
        Assert.False(body.HasSentBytes);
        Assert.Equal(0, client.Length);
    }

    [Fact]
    public async Task Held_BodyLongerThanTheHoldingLimit_PassedOnAsItArrives()
    {
        var (body, client, _) = Create(streaming: false);
        var piece = new byte[1024 * 1024];
        Array.Fill(piece, (byte)'x');
        var pieces = ObservedResponseBody.MaxHeldBytes / piece.Length + 3;

        for (var i = 0; i < pieces; i++) await body.WriteAsync(piece, Cancel);
        Assert.True(body.HasSentBytes);
        Assert.InRange(body.HeldCapacity, 1, 64 * 1024); // not pinned while a slow client reads the rest
        await body.CompleteAsync(Cancel);

        Assert.Equal((long)pieces * piece.Length, client.Length);
    }

    [Fact]
    public async Task Held_BodyLongerThanTheHoldingLimit_HeldPartGoesOutInPieces()
    {
        // One 16 MiB write would be copied whole into the server's buffers while a slow client reads it.
        var client = new LargestWriteStream();
        var (body, _, _) = Create(streaming: false, client: client);
        var piece = new byte[1024 * 1024];
        Array.Fill(piece, (byte)'x');

        for (var i = 0; i <= ObservedResponseBody.MaxHeldBytes / piece.Length; i++) await body.WriteAsync(piece, Cancel);

        Assert.True(body.HasSentBytes);
        Assert.InRange(client.LargestWrite, 1, piece.Length);
    }

    [Fact]
    public async Task Held_BodyLongerThanTheHoldingLimit_ItsUsageIsStillRead()
    {
        // A large embeddings batch: its usage comes last, long after the body stopped being held.
        var record = NewRecord();
        var (body, client, _) = Create(streaming: false, record);
        var filler = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"object\":\"embedding\",\"embedding\":\"AAAAAAAAAAAAAAAA\"},", 4096)));
        var end = "{\"object\":\"embedding\"}],\"model\":\"e\",\"usage\": {\"prompt_tokens\":70000,\"total_tokens\":70000}}"u8.ToArray();

        await body.WriteAsync("{\"object\":\"list\",\"data\":["u8.ToArray(), Cancel);
        while (client.Length + filler.Length < ObservedResponseBody.MaxHeldBytes + 2 * filler.Length) await body.WriteAsync(filler, Cancel);
        await body.WriteAsync(end.AsMemory(0, 20), Cancel); // the usage arrives split across writes
        await body.WriteAsync(end.AsMemory(20), Cancel);
        Assert.True(body.HasSentBytes);
        await body.CompleteAsync(Cancel);

        Assert.Equal(new TokenUsage(70000, 0, 0, 0), record.Usage);
    }

    [Fact]
    public async Task Held_BodyOfManyWritePieces_ClientGetsEveryByteInOrder()
    {
        var (body, client, _) = Create(streaming: false);
        var bytes = Encoding.UTF8.GetBytes("{\"data\":[" + string.Join(',', Enumerable.Range(0, 30_001)) + "]}"); // 168,906 bytes: two pieces and a part

        await body.WriteAsync(bytes, Cancel);
        await body.CompleteAsync(Cancel);

        Assert.Equal(bytes, client.ToArray());
    }

    [Fact]
    public async Task Held_BodyWithinTheLimit_NothingSentUntilComplete()
    {
        var (body, client, _) = Create(streaming: false);

        await body.WriteAsync("{\"id\":\"c1\"}"u8.ToArray(), Cancel);
        Assert.False(body.HasSentBytes);
        await body.CompleteAsync(Cancel);

        Assert.Equal("{\"id\":\"c1\"}", Encoding.UTF8.GetString(client.ToArray()));
    }

    [Fact]
    public async Task Held_BudgetSpentByOtherAnswers_BodyPassedOnAsItArrives_AndHeldAgainOnceTheyEnd()
    {
        // Many large answers at once: those past the shared budget are served as they arrive instead of held.
        var budget = new HeldResponseBudget(20 * 1024);
        var (first, _, _) = Create(streaming: false, budget: budget);
        var (second, secondClient, _) = Create(streaming: false, budget: budget);
        var piece = new byte[16 * 1024];
        Array.Fill(piece, (byte)'x');

        await first.WriteAsync(piece, Cancel);
        await second.WriteAsync(piece, Cancel);

        Assert.False(first.HasSentBytes);
        Assert.True(second.HasSentBytes);
        Assert.Equal(piece.Length, secondClient.Length);
        await second.CompleteAsync(Cancel);
        second.Dispose();
        Assert.Equal(4 * 1024, budget.Available); // the one passed on took nothing

        first.Dispose();
        Assert.Equal(20 * 1024, budget.Available);
        var (third, _, _) = Create(streaming: false, budget: budget);
        await third.WriteAsync(piece, Cancel);
        Assert.False(third.HasSentBytes);
    }

    [Fact]
    public async Task Held_BodyLongerThanTheHoldingLimit_GivesItsBytesBackToTheBudgetWhenItStartsPassingOn()
    {
        var budget = new HeldResponseBudget(64L * 1024 * 1024);
        var (body, _, _) = Create(streaming: false, budget: budget);
        var piece = new byte[1024 * 1024];

        for (var i = 0; i <= ObservedResponseBody.MaxHeldBytes / piece.Length; i++) await body.WriteAsync(piece, Cancel);

        Assert.True(body.HasSentBytes);
        Assert.Equal(64L * 1024 * 1024, budget.Available);
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/json")]
    public async Task Stream_EventsUnderAnotherContentType_PassedOnEventByEvent(string contentType)
    {
        // Some servers label their events so; the request asked for a stream, and these are events.
        var (body, client, _) = Create(streaming: true, contentType: contentType);

        await body.WriteAsync("data: {\"id\":\"c1\"}\n\n"u8.ToArray(), Cancel);

        Assert.Equal("data: {\"id\":\"c1\"}\n\n", Encoding.UTF8.GetString(client.ToArray()));
    }

    [Fact]
    public async Task Stream_RequestAnsweredWithOneJsonBody_HeldWhole()
    {
        var (body, client, _) = Create(streaming: true, contentType: "application/json");

        await body.WriteAsync("{\"id\":\"c1\",\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1}}"u8.ToArray(), Cancel);
        Assert.False(body.HasSentBytes);
        await body.CompleteAsync(Cancel);

        Assert.Null(body.InvalidAnswer);
        Assert.StartsWith("{\"id\":\"c1\"", Encoding.UTF8.GetString(client.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_UsageChunkAfterDone_UsageRecordedButNotSent()
    {
        var record = NewRecord();
        var (body, client, _) = Create(streaming: true, record);

        await body.WriteAsync("data: {\"id\":\"c1\"}\n\ndata: [DONE]\n\n"u8.ToArray(), Cancel);
        await body.WriteAsync("data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n"u8.ToArray(), Cancel);
        await body.CompleteAsync(Cancel);

        Assert.Equal(5, record.Usage?.PromptTokens);
        Assert.Equal("data: {\"id\":\"c1\"}\n\ndata: [DONE]\n\n", Encoding.UTF8.GetString(client.ToArray()));
    }

    [Theory]
    [InlineData("<html><body>Sign in</body></html>")]
    [InlineData("<html>\n\n<body>Sign in</body>\n\n</html>")]
    public async Task Stream_RequestAnsweredWithAPage_HeldAndJudgedNoAnswer(string page)
    {
        var (body, client, _) = Create(streaming: true, contentType: "text/html");

        await body.WriteAsync(Encoding.UTF8.GetBytes(page), Cancel);
        await body.CompleteAsync(Cancel);

        Assert.NotNull(body.InvalidAnswer);
        Assert.Equal(0, client.Length);
    }

    [Fact]
    public async Task Stream_UsageChunkInTheSameReadAsDone_UsageRecordedButNotSent()
    {
        var record = NewRecord();
        var (body, client, _) = Create(streaming: true, record);

        await body.WriteAsync("data: [DONE]\n\ndata: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n"u8.ToArray(), Cancel);
        await body.CompleteAsync(Cancel);

        Assert.Equal(5, record.Usage?.PromptTokens);
        Assert.Equal("data: [DONE]\n\n", Encoding.UTF8.GetString(client.ToArray()));
    }

    [Fact]
    public async Task Stream_KeepAliveWithEmptyDataThenAnErrorEvent_IsAnInvalidAnswerWithNothingSent()
    {
        var (body, client, guard) = Create(streaming: true, contentType: "text/event-stream");

        // In one read: a keep-alive sent on its own goes to the client at once (it keeps the connection alive), and what follows it is not judged.
        await body.WriteAsync("event: ping\ndata: \n\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n"u8.ToArray(), Cancel);

        Assert.Equal("invalid-answer", guard.Failure);
        Assert.NotNull(body.InvalidAnswer);
        Assert.Equal(0, client.Length);
    }

    [Fact]
    public async Task Stream_ErrorEventAfterTheFirstChunk_PassedOnAndNothingAfterIt()
    {
        var (body, client, guard) = Create(streaming: true, contentType: "text/event-stream");
        const string Chunk = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n";
        const string Error = "data: {\"error\":{\"message\":\"overloaded\"}}\n\n";

        await body.WriteAsync(Encoding.UTF8.GetBytes(Chunk + Error + "data: [DONE]\n\n"), Cancel);
        await body.WriteAsync("data: {\"id\":\"c1\",\"choices\":[]}\n\n"u8.ToArray(), Cancel);

        Assert.Equal(Chunk + Error, Encoding.UTF8.GetString(client.ToArray()));
        Assert.True(body.ErrorEventAfterFirst);
        Assert.False(body.SentDone);
        Assert.Equal("upstream-error", guard.Failure); // the upstream read ends; the forwarder cuts the connection
    }

    [Fact]
    public async Task Stream_ErrorEventNeverClosedAfterTheFirstChunk_PassedOnClosedSoTheClientDispatchesIt()
    {
        var (body, client, _) = Create(streaming: true, contentType: "text/event-stream");
        const string Chunk = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n";

        await body.WriteAsync(Encoding.UTF8.GetBytes(Chunk + "data: {\"error\":{\"message\":\"overloaded\"}}"), Cancel);
        await body.CompleteAsync(Cancel);

        Assert.Equal(Chunk + "data: {\"error\":{\"message\":\"overloaded\"}}\n\n", Encoding.UTF8.GetString(client.ToArray()));
        Assert.True(body.ErrorEventAfterFirst);
    }

    [Theory]
    [InlineData(true)]  // closed: read as it arrives
    [InlineData(false)] // never closed: read when the stream ends
    public async Task Stream_KeepAliveCommentSentThenAnErrorEvent_AFailedStreamNotAnInvalidAnswer(bool closed)
    {
        var (body, client, _) = Create(streaming: true, contentType: "text/event-stream");

        await body.WriteAsync(": keep-alive\n\n"u8.ToArray(), Cancel);
        await body.WriteAsync(Encoding.UTF8.GetBytes("data: {\"error\":{\"message\":\"overloaded\"}}" + (closed ? "\n\ndata: [DONE]\n\n" : "")), Cancel);
        await body.CompleteAsync(Cancel);

        Assert.Equal(": keep-alive\n\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n", Encoding.UTF8.GetString(client.ToArray()));
        Assert.True(body.ErrorEventAfterFirst);
        Assert.Null(body.InvalidAnswer);
    }

    [Fact]
    public async Task Stream_NonSuccessStatusWithErrorEvents_PassedOnWholeAsTheUpstreamsAnswer()
    {
        var (body, client, guard) = Create(streaming: true, contentType: "text/event-stream", status: 400);
        const string Events = "data: {\"error\":{\"message\":\"bad\"}}\n\ndata: {\"error\":{\"message\":\"still bad\"}}\n\ndata: [DONE]\n\n";

        await body.WriteAsync(Encoding.UTF8.GetBytes(Events), Cancel);
        await body.CompleteAsync(Cancel);

        Assert.Equal(Events, Encoding.UTF8.GetString(client.ToArray()));
        Assert.False(body.ErrorEventAfterFirst);
        Assert.Null(guard.Failure);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static RequestRecord NewRecord() => new() { RequestId = "req-1", Operation = "chat", StartTimestamp = Stopwatch.GetTimestamp() };

    /// <param name="contentType">The upstream answer's <c>Content-Type</c>, seen as the gateway sees it: through the guarded body's headers.</param>
    private static (ObservedResponseBody Body, MemoryStream Client, StreamGuard Guard) Create(bool streaming, RequestRecord? record = null, HeldResponseBudget? budget = null, string? contentType = null, MemoryStream? client = null, int status = 200)
    {
        client ??= new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.StatusCode = status;
        context.Response.Body = client;
        context.Response.ContentType = contentType;
        var guard = new StreamGuard(CancellationToken.None, CancellationToken.None, CancellationToken.None);
        using var upstream = new ByteArrayContent([]);
        if (contentType is not null) upstream.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var guarded = new GuardedContent(upstream, guard);
        budget ??= new HeldResponseBudget(long.MaxValue / 2);
        return (new ObservedResponseBody(context.Response, streaming, hideUsageChunk: false, record ?? NewRecord(), guard, budget), client, guard);
    }

    /// <summary>A client that remembers the longest single write it was given.</summary>
    private sealed class LargestWriteStream : MemoryStream
    {
        public int LargestWrite { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
