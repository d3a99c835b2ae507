using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Resilience;
using RightSize.OpenAI.Usage;
using RightSize.Server.Model;
using RightSize.Server.Observability;

namespace RightSize.FunctionalTests;

/// <summary>
/// Streams framed the way some servers frame them: events ended by a bare CR, a last event that
/// is never closed by an empty line, and usage that a failed attempt reported before it broke.
/// Route <c>cheap</c> starts at small; the small (and where given, mid) tier is a scripted upstream.
/// </summary>
public sealed class StreamFramingTests
{
    private const string Chunk = """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"sim-small","choices":[{"index":0,"delta":{"content":"first-chunk"},"finish_reason":null}]}""";
    private const string UsageChunk = """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"sim-small","choices":[],"usage":{"prompt_tokens":777,"completion_tokens":333,"total_tokens":1110}}""";

    private const string ErrorEvent = """{"error":{"message":"overloaded","type":"server_error"}}""";

    private readonly RecordingObserver _observer = new();

    [Fact]
    public async Task Stream_EventsEndedByABareCR_EachPassedOnBeforeTheNextArrives()
    {
        // The upstream sends its second event only once the client has the first.
        var clientHasFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstreamGaveUpWaiting = false;
        await using var small = await StartStreamingAsync(async context =>
        {
            await WriteAsync(context, $"data: {Chunk}\r\r");
            upstreamGaveUpWaiting = await Task.WhenAny(clientHasFirst.Task, Task.Delay(TimeSpan.FromSeconds(20))) != clientHasFirst.Task;
            await WriteAsync(context, "data: [DONE]\r\r");
        });
        await using var harness = await StartGatewayAsync(small);

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")) };
        using var response = await harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var received = await ReadUntilAsync(reader, "first-chunk");

        clientHasFirst.TrySetResult();
        received.Append(await reader.ReadToEndAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(upstreamGaveUpWaiting, "the gateway held the first event until the second arrived");
        Assert.Contains("data: [DONE]", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_UsageChunkNeverClosedByAnEmptyLine_ReadAndHidden()
    {
        await using var small = await StartStreamingAsync(context => WriteAsync(context, $"data: {Chunk}\n\ndata: {UsageChunk}"));
        await using var harness = await StartGatewayAsync(small);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var record = await _observer.NextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("first-chunk", text, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt_tokens", text, StringComparison.Ordinal); // the client did not ask for usage
        Assert.Equal(777, record.Usage?.PromptTokens);
        Assert.Equal(333, record.Usage?.CompletionTokens);
    }

    [Fact]
    public async Task Stream_FailedAttemptReportedUsage_KeptWithThatAttemptNotTheTierThatAnswers()
    {
        await using var small = await StartStreamingAsync(async context =>
        {
            await WriteAsync(context, $"data: {UsageChunk}\n\n");
            await Task.Delay(1500); // as the simulator's cuts: an abort drops what Kestrel has not sent yet
            context.Abort();
        });
        await using var mid = await StartStreamingAsync(context => WriteAsync(context, $"data: {Chunk}\n\ndata: [DONE]\n\n")); // and no usage
        await using var harness = await StartGatewayAsync(small, mid);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var record = await _observer.NextAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:response-cut", Json.Header(response, "x-rightsize-reason"));
        Assert.Contains("first-chunk", text, StringComparison.Ordinal);
        Assert.Equal("mid", record.Tier);
        Assert.Null(record.Usage);
        var (billed, prices) = Assert.IsType<(TokenUsage, TierPrices?)>(record.Attempts[0].BilledBeforeFailing);
        Assert.Equal((777, 333), (billed.PromptTokens, billed.CompletionTokens)); // kept with the small attempt, priced there
        Assert.Same(record.Snapshot!.RoutesByName["cheap"].Targets[0]!.Prices, prices);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NonStreaming_AnswerCutAfterItsUsage_UsageKeptWithTheFailedAttempt(bool aLaterTierServes)
    {
        // The whole answer, usage included, but one byte short of its Content-Length: the upstream
        // generated (and billed) it. Until 2026-12-02 its usage was dropped with the cut body.
        var answer = Encoding.UTF8.GetBytes("""{"id":"c1","object":"chat.completion","created":1,"model":"sim-small","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":777,"completion_tokens":333,"total_tokens":1110}}""");
        await using var small = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = answer.Length + 1;
            await context.Response.Body.WriteAsync(answer);
            await context.Response.Body.FlushAsync();
            await Task.Delay(1500); // as the simulator's cut grace: a reset makes the reader's kernel drop bytes not yet read
            context.Abort();
        });
        await using var mid = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = aLaterTierServes ? 200 : 503;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(aLaterTierServes
                ? """{"id":"c2","object":"chat.completion","created":1,"model":"sim-mid","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"""
                : """{"error":{"message":"overloaded","type":"server_error"}}""");
        });
        await using var harness = await StartGatewayAsync(small, mid);
        if (!aLaterTierServes) harness.Upstreams.Frontier.Fail("status=503");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")), TestContext.Current.CancellationToken);
        var record = await _observer.NextAsync();

        var (billed, _) = Assert.IsType<(TokenUsage, TierPrices?)>(record.Attempts[0].BilledBeforeFailing);
        Assert.Equal((777, 333), (billed.PromptTokens, billed.CompletionTokens));
        if (aLaterTierServes)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal((10, 5), (record.Usage?.PromptTokens, record.Usage?.CompletionTokens));
        }
        else
        {
            // No answer was served: the request's usage is unknown, not the failed attempt's.
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode); // a cut and two 503s
            Assert.Null(record.Usage);
        }
    }

    [Fact]
    public async Task Stream_UpstreamErrorEventAfterTheFirstChunkThenDone_ErrorPassedOnDoneNotAndTheConnectionCut()
    {
        // As vLLM ends a generation that fails part-way: an error event, then a clean [DONE].
        await using var small = await StartStreamingAsync(context => WriteAsync(context, $"data: {Chunk}\n\ndata: {ErrorEvent}\n\ndata: [DONE]\n\n"));
        await using var harness = await StartGatewayAsync(small);

        var (text, cut) = await PostStreamToTheEndOrCutAsync(harness);
        var record = await _observer.NextAsync();

        Assert.Contains("first-chunk", text, StringComparison.Ordinal);
        Assert.Contains("overloaded", text, StringComparison.Ordinal); // a client that reads error events raises on it
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.True(cut, "the connection ended cleanly after the upstream's error event: " + text);
        Assert.True(record.StreamFailed);
        Assert.Equal("upstream-error", Assert.Single(record.Attempts).Failure);
    }

    [Theory]
    [InlineData(true)]  // then [DONE]
    [InlineData(false)] // the error event is the last, never closed by an empty line
    public async Task Stream_UpstreamErrorEventAfterTheFirstChunk_OpenAISdkRaises(bool thenDone)
    {
        // The .NET SDK ignores error events: what it raises on is the cut connection.
        var end = thenDone ? $"data: {ErrorEvent}\n\ndata: [DONE]\n\n" : $"data: {ErrorEvent}";
        await using var small = await StartStreamingAsync(context => WriteAsync(context, $"data: {Chunk}\n\n{end}"));
        await using var harness = await StartGatewayAsync(small);
        var deltas = new List<string>();

        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in harness.ChatClient("cheap").CompleteChatStreamingAsync([new UserChatMessage("hi")], cancellationToken: TestContext.Current.CancellationToken))
            {
                foreach (var part in update.ContentUpdate) deltas.Add(part.Text);
            }
        });
        var record = await _observer.NextAsync();

        Assert.NotNull(failure);
        Assert.Equal(["first-chunk"], deltas);
        Assert.True(record.StreamFailed);
        Assert.Equal("upstream-error", Assert.Single(record.Attempts).Failure);
    }

    [Fact]
    public async Task Stream_KeepAliveCommentThenAnErrorEventThenDone_ErrorPassedOnAndTheConnectionCut()
    {
        // The comment has reached the client, so the error cannot go to the next tier any more.
        var clientHasComment = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var small = await StartStreamingAsync(async context =>
        {
            await WriteAsync(context, ": keep-alive\n\n");
            await clientHasComment.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await WriteAsync(context, $"data: {ErrorEvent}\n\ndata: [DONE]\n\n");
        });
        await using var harness = await StartGatewayAsync(small);

        var (text, cut) = await PostStreamToTheEndOrCutAsync(harness, (": keep-alive", clientHasComment));
        var record = await _observer.NextAsync();

        Assert.Contains("overloaded", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        Assert.True(cut, "the connection ended cleanly after the upstream's error event: " + text);
        Assert.True(record.StreamFailed);
        Assert.Equal("upstream-error", Assert.Single(record.Attempts).Failure);
    }

    [Fact]
    public async Task Stream_UpstreamKeepsItsBodyOpenAfterDone_TheClientsResponseEndsAnyway()
    {
        // The upstream holds its body open after [DONE] until the client has read its whole
        // response (or 20 s have passed). A client that reads to the end of the body (the Python
        // SDK does) must not wait for it: the gateway gives it a grace, then ends the answer.
        var clientDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstreamGaveUp = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var small = await StartStreamingAsync(async context =>
        {
            await WriteAsync(context, $"data: {Chunk}\n\ndata: [DONE]\n\n");
            upstreamGaveUp.TrySetResult(await Task.WhenAny(clientDone.Task, Task.Delay(TimeSpan.FromSeconds(20))) != clientDone.Task);
        });
        await using var harness = await StartGatewayAsync(small);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        clientDone.TrySetResult();
        var record = await _observer.NextAsync();

        Assert.False(await upstreamGaveUp.Task, "the client's response stayed open until the upstream ended its body");
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        Assert.False(record.StreamFailed);
        Assert.Null(Assert.Single(record.Attempts).Failure);
    }

    [Fact]
    public async Task Stream_ClientLeavesRightAfterDone_ServedNotAClientAbort()
    {
        // The upstream sends [DONE], then keeps its body open; the client, as many do, stops at
        // [DONE] and closes its connection before the upstream's body has ended.
        await using var small = await StartStreamingAsync(async context =>
        {
            await WriteAsync(context, $"data: {Chunk}\n\ndata: {UsageChunk}\n\ndata: [DONE]\n\n");
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var harness = await StartGatewayAsync(small);

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")) };
        using (var response = await harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
            Assert.Contains("data: [DONE]", (await ReadUntilAsync(reader, "data: [DONE]")).ToString(), StringComparison.Ordinal);

            // Cancelling a pending read closes the connection at once. On a host slow enough that
            // the gateway has already ended the body (it does 1 s after [DONE]), the read finds its end.
            using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                Assert.Equal(0, await reader.ReadAsync(new char[16].AsMemory(), leave.Token));
            }
            catch (OperationCanceledException)
            {
                // The client left while the body was open: the case this test is about.
            }
        }

        var record = await _observer.NextAsync();
        var attempt = Assert.Single(record.Attempts);
        Assert.False(record.ClientAborted);
        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal(777, record.Usage?.PromptTokens);
        Assert.False(record.StreamFailed);
        Assert.Null(attempt.Failure);
    }

    /// <summary>Streams a chat request to route <c>cheap</c>: the body as the client got it, and whether the connection was cut rather than ended.</summary>
    /// <param name="seen">When given, set once the text read so far holds its marker.</param>
    private static async Task<(string Text, bool Cut)> PostStreamToTheEndOrCutAsync(GatewayHarness harness, (string Marker, TaskCompletionSource Signal)? seen = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")) };
        using var response = await harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var text = new StringBuilder();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                text.Append(buffer, 0, read);
                if (seen is { } marker && text.ToString().Contains(marker.Marker, StringComparison.Ordinal)) marker.Signal.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return (text.ToString(), true);
        }

        return (text.ToString(), false);
    }

    // A scripted upstream that answers every request with an event stream `write` sends.
    private static Task<ScriptedUpstream> StartStreamingAsync(Func<HttpContext, Task> write) => ScriptedUpstream.StartAsync(async context =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.ContentType = "text/event-stream";
        await write(context);
    });

    /// <summary>Reads the stream until <paramref name="marker"/> has arrived, or it ends: what was read.</summary>
    private static async Task<StringBuilder> ReadUntilAsync(StreamReader reader, string marker)
    {
        var received = new StringBuilder();
        var buffer = new char[4096];
        while (!received.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await reader.ReadAsync(buffer, TestContext.Current.CancellationToken);
            if (read == 0) break;
            received.Append(buffer, 0, read);
        }

        return received;
    }

    private static async Task WriteAsync(HttpContext context, string text)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text));
        await context.Response.Body.FlushAsync();
    }

    private Task<GatewayHarness> StartGatewayAsync(ScriptedUpstream small, ScriptedUpstream? mid = null) => GatewayHarness.StartAsync(
        settings =>
        {
            settings["RightSize:Upstreams:up-small:BaseUrl"] = small.BaseUrl;
            if (mid is not null) settings["RightSize:Upstreams:up-mid:BaseUrl"] = mid.BaseUrl;
        },
        upstreams: null,
        services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver>(_observer)));
}
