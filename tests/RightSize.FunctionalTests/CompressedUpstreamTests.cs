using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Telemetry;
using RightSize.Server.Observability;
using RightSize.Server.Usage;
using Serilog.Core;

namespace RightSize.FunctionalTests;

/// <summary>
/// An upstream (or a middlebox in front of it) that compresses its answer although the gateway
/// asked for <c>identity</c>: the gateway decodes it, so the client gets plain bytes, a stream
/// still arrives event by event, the usage chunk the gateway asked for stays hidden, and usage and
/// cost are recorded. Route <c>cheap</c> sends to the scripted upstream in place of the small tier
/// (1 and 2 per million input and output tokens), then up the tiers to the mid simulator.
/// </summary>
public sealed class CompressedUpstreamTests
{
    private const string UsageJson = """{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}""";
    private const string Completion = """{"id":"c1","object":"chat.completion","model":"sim-small","choices":[{"index":0,"message":{"role":"assistant","content":"one two three"},"finish_reason":"stop"}],"usage":""" + UsageJson + "}";
    private const string Chunk = """{"id":"c1","object":"chat.completion.chunk","model":"sim-small","choices":[{"index":0,"delta":{"content":"one two three"},"finish_reason":null}]}""";
    private const string UsageChunk = """{"id":"c1","object":"chat.completion.chunk","model":"sim-small","choices":[],"usage":""" + UsageJson + "}";

    private readonly RecordingObserver _observer = new();
    private readonly MemorySink _log = new();

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Stream_UpstreamCompressesAnyway_EventsArriveBeforeItEndsWithoutTheUsageChunk(string coding)
    {
        // The rest, the usage chunk the gateway asked for included, only once the client holds the first event.
        var (status, codings, first, rest) = await StreamFirstEventThenAsync(
            coding,
            (_, encoder) => encoder.WriteAsync(Encoding.UTF8.GetBytes($"data: {UsageChunk}\n\ndata: [DONE]\n\n")).AsTask());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(codings);
        Assert.Equal(Chunk, first);
        Assert.Equal(["[DONE]"], rest);
        AssertUsageAndCost(await _observer.NextAsync());
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    [InlineData("gzip, br")]
    public async Task NonStream_UpstreamCompressesAnyway_ClientGetsThePlainBodyAndUsageIsRecorded(string codings)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerCompressedAsync(context, "application/json", Completion, codings));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(Encoding.UTF8.GetByteCount(Completion), response.Content.Headers.ContentLength);
        Assert.Equal(Completion, await response.Content.ReadAsStringAsync());
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
        AssertUsageAndCost(await _observer.NextAsync());
    }

    [Fact]
    public async Task PassthroughEmbeddings_UpstreamCompressesAnyway_ClientGetsThePlainBodyAndUsageIsRecorded()
    {
        const string embeddings = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,0.5]}],"model":"sim-small","usage":{"prompt_tokens":5,"total_tokens":5}}""";
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerCompressedAsync(context, "application/json", embeddings, "gzip"));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/embeddings", Json.Body($$"""{"model":"{{TestUpstreams.SmallModel}}","input":"hi"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(embeddings, await response.Content.ReadAsStringAsync());
        var record = await _observer.NextAsync();
        Assert.Equal("passthrough", record.Reason);
        Assert.Equal(5, record.Usage?.PromptTokens);
    }

    [Fact]
    public async Task NonStream_UpstreamUsesACodingTheGatewayCannotDecode_NextTierAnswers()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerRawAsync(context, "zstd", "(zstd frames)"u8.ToArray()));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("fallback:unsupported-encoding", Json.Header(response, "x-rightsize-reason"));
        Assert.Empty(response.Content.Headers.ContentEncoding);
        var record = await _observer.NextAsync();
        Assert.Equal(200, record.Attempts[0].StatusCode);
        Assert.Equal("unsupported-encoding", record.Attempts[0].Failure);
        var failed = Assert.Single(_log.Events, e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains("AttemptFailed", StringComparison.Ordinal));
        Assert.Equal("\"Content-Encoding: zstd cannot be decoded\"", failed.Properties["Detail"].ToString());
    }

    [Fact]
    public async Task NonStream_UpstreamListsThousandsOfCodings_NotDecodedNextTierAnswers()
    {
        // Each coding would be a decoder stacked on the last: 17,000 of them overflowed the
        // gateway's stack and ended the process, every route with it.
        var codings = string.Join(",", Enumerable.Repeat("br", 17_000));
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerRawAsync(context, codings, "(not brotli)"u8.ToArray()));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:unsupported-encoding", Json.Header(response, "x-rightsize-reason"));
    }

    [Fact]
    public async Task PassthroughStream_UpstreamUsesACodingTheGatewayCannotDecode_502InOpenAIShape()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerRawAsync(context, "zstd", "(zstd frames)"u8.ToArray()));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await SendStreamingAsync(harness, TestUpstreams.SmallModel);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("upstream_error", error.GetProperty("code").GetString());
        Assert.Contains("unsupported-encoding", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")] // the Brotli decoder reports bad data with another exception type than gzip's
    public async Task NonStream_CompressedBodyDoesNotDecode_NextTierAnswers(string coding)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerRawAsync(context, coding, "not compressed at all"u8.ToArray()));
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("fallback:upstream-error", Json.Header(response, "x-rightsize-reason"));
    }

    [Fact]
    public async Task Stream_CompressedBodyDoesNotDecode_NextTierAnswersAndTheLogSaysWhy()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.ContentType = "text/event-stream";
            return AnswerRawAsync(context, "gzip", "data: not compressed at all\n\n"u8.ToArray());
        });
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:upstream-error", Json.Header(response, "x-rightsize-reason"));
        var failed = Assert.Single(_log.Events, e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains("AttemptFailed", StringComparison.Ordinal));
        Assert.NotEqual("\"-\"", failed.Properties["Detail"].ToString()); // the decoder's own words, not "-"
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Stream_CompressedBodyStopsDecodingAfterTheFirstEvent_ClientGetsAnErrorEventNotDone(string coding)
    {
        // Bytes no decoder reads past (for gzip, a deflate block header with the reserved block type).
        var (_, _, first, rest) = await StreamFirstEventThenAsync(coding, async (context, _) =>
        {
            await context.Response.Body.WriteAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF });
            await context.Response.Body.FlushAsync();
        });

        Assert.Equal(Chunk, first);
        var errorEvent = Assert.Single(rest);
        Assert.StartsWith("{\"error\":", errorEvent, StringComparison.Ordinal);
        Assert.Contains("upstream_error", errorEvent, StringComparison.Ordinal);
        var record = await _observer.NextAsync();
        Assert.True(record.StreamFailed);
        Assert.Equal("upstream-error", record.Attempts[0].Failure);
    }

    /// <summary>
    /// A compressed event stream through the gateway: the upstream sends one event in
    /// <paramref name="coding"/>, waits until the client holds it, then runs <paramref name="then"/>
    /// (given the encoder for more events). Returns the client's status, the response's content
    /// codings, the first event and the later ones.
    /// </summary>
    private async Task<(HttpStatusCode Status, string[] Codings, string? First, List<string> Later)> StreamFirstEventThenAsync(string coding, Func<HttpContext, Stream, Task> then)
    {
        var clientHasFirstEvent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            await using var encoder = await StartCompressedAsync(context, "text/event-stream", coding);
            await encoder.WriteAsync(Encoding.UTF8.GetBytes($"data: {Chunk}\n\n"));
            await encoder.FlushAsync();
            await clientHasFirstEvent.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await then(context, encoder);
        });
        await using var harness = await StartGatewayAsync(upstream);
        using var response = await SendStreamingAsync(harness, "cheap");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var first = await SseEvents.ReadNextAsync(reader);
        clientHasFirstEvent.SetResult();
        var later = await SseEvents.ReadToEndAsync(reader);
        return (response.StatusCode, [.. response.Content.Headers.ContentEncoding], first, later);
    }

    /// <summary>The upstream's usage (11 in, 3 out) and its cost at the small tier's prices, 1 and 2 per million.</summary>
    private static void AssertUsageAndCost(RequestRecord record)
    {
        Assert.Equal(11, record.Usage?.PromptTokens);
        Assert.Equal(3, record.Usage?.CompletionTokens);
        Assert.True(CostCalculator.TryCompute(record, out var cost));
        Assert.Equal(0.000017m, cost.Cost);
    }

    /// <summary>Sends the response headers of an answer in <paramref name="coding"/>, and returns the encoder to write its body through.</summary>
    private static async Task<Stream> StartCompressedAsync(HttpContext context, string contentType, string coding)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.ContentType = contentType;
        context.Response.Headers.ContentEncoding = coding;
        await context.Response.StartAsync();
        return Compression.Encoder(coding, context.Response.Body);
    }

    private static Task AnswerCompressedAsync(HttpContext context, string contentType, string body, string codings)
    {
        context.Response.ContentType = contentType;
        return AnswerRawAsync(context, codings, Compression.Encode(Encoding.UTF8.GetBytes(body), codings.Split(", ")));
    }

    private static async Task AnswerRawAsync(HttpContext context, string contentEncoding, byte[] body)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.ContentType ??= "application/json";
        context.Response.Headers.ContentEncoding = contentEncoding;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    private static Task<HttpResponseMessage> SendStreamingAsync(GatewayHarness harness, string model)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat(model, "hi", ",\"stream\":true")) };
        return harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    private Task<GatewayHarness> StartGatewayAsync(ScriptedUpstream upstream) => GatewayHarness.StartAsync(
        settings =>
        {
            settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl;
            settings["RightSize:Tiers:small:InputPerMTok"] = "1";
            settings["RightSize:Tiers:small:OutputPerMTok"] = "2";
        },
        upstreams: null,
        services: s =>
        {
            s.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver>(_observer));
            s.AddSingleton<ILogEventSink>(_log);
        });
}
