using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Net.Http.Headers;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Server.Observability;

namespace RightSize.FunctionalTests;

/// <summary>
/// Usage is read, and the usage chunk hidden, whatever valid wire shape the upstream answers in:
/// a usage chunk whose JSON spans several <c>data:</c> lines, any line ends, a declared length;
/// and the upstream, asked for identity, answers uncompressed even when the client accepts gzip.
/// Route <c>cheap</c> sends to the scripted upstream in place of the small tier.
/// </summary>
public sealed class UpstreamWireShapeTests
{
    private const string UsageJson = """{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}""";
    private const string Completion = """{"id":"c1","object":"chat.completion","model":"sim-small","choices":[{"index":0,"message":{"role":"assistant","content":"one two three"},"finish_reason":"stop"}],"usage":""" + UsageJson + "}";
    private const string Chunk = """{"id":"c1","object":"chat.completion.chunk","model":"sim-small","choices":[{"index":0,"delta":{"content":"one two three"},"finish_reason":null}]}""";

    private const string UsageEvents = $"data: {Chunk}\n\ndata: {{\"id\":\"c1\",\"choices\":[],\"usage\":{UsageJson}}}\n\ndata: [DONE]\n\n";

    private readonly RecordingObserver _observer = new();

    [Fact]
    public async Task NonStream_ClientAcceptsGzip_UsageRecorded()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, "application/json", Completion));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await SendAcceptingGzipAsync(harness, stream: false);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("one two three", text, StringComparison.Ordinal);
        var record = await _observer.NextAsync();
        Assert.Equal(11, record.Usage?.PromptTokens);
        Assert.Equal(3, record.Usage?.CompletionTokens);
    }

    [Fact]
    public async Task Stream_ClientAcceptsGzip_UsageRecordedAndChunkHidden()
    {
        var events = $"data: {Chunk}\n\ndata: {{\"id\":\"c1\",\"choices\":[],\"usage\":{UsageJson}}}\n\ndata: [DONE]\n\n";
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, "text/event-stream", events));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await SendAcceptingGzipAsync(harness, stream: true);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("one two three", text, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt_tokens", text, StringComparison.Ordinal);
        var record = await _observer.NextAsync();
        Assert.Equal(11, record.Usage?.PromptTokens);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", "\uFEFF" + Completion, false)] // a byte order mark first
    [InlineData("application/json", Completion, true)] // a whole answer to a stream request
    [InlineData("text/event-stream", UsageEvents, false)] // events to a request that asked for none
    public async Task Answer_FramedOtherwiseThanAsked_UsageRecordedAndPassedOn(string contentType, string body, bool stream)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, contentType, body));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", stream ? ",\"stream\":true" : "")));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("one two three", text, StringComparison.Ordinal);
        var record = await _observer.NextAsync();
        Assert.Equal(11, record.Usage?.PromptTokens);
        Assert.Equal(3, record.Usage?.CompletionTokens);
    }

    [Fact]
    public async Task Stream_UpstreamCutAfterDone_ClientGetsTheWholeStreamWithoutAnError()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            // Declares more than it sends, so the connection is cut once [DONE] has gone out.
            context.Response.ContentLength = Encoding.UTF8.GetByteCount(UsageEvents) + 100;
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(UsageEvents));
            await context.Response.Body.FlushAsync();
            await Task.Delay(1500); // as the simulator's cut-after: the gateway reads the bytes before the reset
        });
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"data: {Chunk}\n\ndata: [DONE]\n\n", text);
        var record = await _observer.NextAsync();
        Assert.False(record.StreamFailed);
        Assert.Equal(11, record.Usage?.PromptTokens);
    }

    [Fact]
    public async Task Stream_UsageChunkSpansDataLines_UsageRecordedAndChunkHidden()
    {
        var events = $"data: {Chunk}\r\n\r\n: usage follows\r\ndata: {{\"id\":\"c1\",\"choices\":[],\r\ndata: \"usage\":{UsageJson}}}\r\n\r\ndata: [DONE]\r\n\r\n";
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, "text/event-stream", events));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"data: {Chunk}\r\n\r\ndata: [DONE]\r\n\r\n", text);
        var record = await _observer.NextAsync();
        Assert.Equal(11, record.Usage?.PromptTokens);
        Assert.Equal(3, record.Usage?.CompletionTokens);
    }

    [Fact]
    public async Task Stream_UpstreamSendsContentLength_UsageChunkHiddenAndStreamCompletes()
    {
        var events = $"data: {Chunk}\n\ndata: {{\"id\":\"c1\",\"choices\":[],\"usage\":{UsageJson}}}\n\ndata: [DONE]\n\n";
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.ContentLength = Encoding.UTF8.GetByteCount(events);
            return AnswerAsync(context, "text/event-stream", events);
        });
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"data: {Chunk}\n\ndata: [DONE]\n\n", text);
        var record = await _observer.NextAsync();
        Assert.Equal(11, record.Usage?.PromptTokens);
    }

    [Theory]
    [InlineData("\r", "\r")]
    [InlineData("\n", "\r\n")]
    public async Task Stream_LineEndsMixedOrBareCarriageReturn_UsageChunkHidden(string lineEnd, string blankLine)
    {
        // Lines may end in CRLF, LF or CR alone, mixed: an event ends at the first empty line.
        var content = $"data: {Chunk}{lineEnd}{blankLine}";
        var done = $"data: [DONE]{lineEnd}{blankLine}";
        var events = $"{content}data: {{\"id\":\"c1\",\"choices\":[],\"usage\":{UsageJson}}}{lineEnd}{blankLine}{done}";
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, "text/event-stream", events));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(content + done, text);
        var record = await _observer.NextAsync();
        Assert.Equal(11, record.Usage?.PromptTokens);
    }

    [Fact]
    public async Task Stream_UpstreamCompressesWhereAllowed_ClientGetsPlainEventsWithoutUsageChunk()
    {
        // Without an Accept-Encoding header any coding is acceptable (RFC 9110 §12.5.3), so the
        // gateway must ask for identity for this upstream to answer plainly.
        var events = $"data: {Chunk}\n\ndata: {{\"id\":\"c1\",\"choices\":[],\"usage\":{UsageJson}}}\n\ndata: [DONE]\n\n";
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context, "text/event-stream", events));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal($"data: {Chunk}\n\ndata: [DONE]\n\n", text);
        var record = await _observer.NextAsync();
        Assert.Equal(11, record.Usage?.PromptTokens);
    }

    /// <summary>
    /// Answers with <paramref name="body"/>, gzip-compressed unless the request's <c>Accept-Encoding</c>
    /// rules gzip out (no header at all allows any coding), as a server by the book may.
    /// </summary>
    private static async Task AnswerAsync(HttpContext context, string contentType, string body)
    {
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        if (AllowsGzip(context.Request.Headers.AcceptEncoding.ToString()))
        {
            context.Response.Headers.ContentEncoding = "gzip";
            await using var gzip = new GZipStream(context.Response.Body, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(bytes);
            return;
        }

        await context.Response.Body.WriteAsync(bytes);
    }

    private static bool AllowsGzip(string acceptEncoding)
    {
        if (string.IsNullOrWhiteSpace(acceptEncoding)) return true;
        var codings = StringWithQualityHeaderValue.ParseList([acceptEncoding]);
        var named = codings.FirstOrDefault(c => c.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase)) ?? codings.FirstOrDefault(c => c.Value.Equals("*", StringComparison.Ordinal));
        return named is not null && named.Quality is not 0;
    }

    private static async Task<HttpResponseMessage> SendAcceptingGzipAsync(GatewayHarness harness, bool stream)
    {
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.GZip };
        using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = harness.BaseAddress };
        var response = await client.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", stream ? ",\"stream\":true" : "")));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private Task<GatewayHarness> StartGatewayAsync(ScriptedUpstream upstream) => GatewayHarness.StartAsync(
        settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl,
        upstreams: null,
        services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver>(_observer)));
}
