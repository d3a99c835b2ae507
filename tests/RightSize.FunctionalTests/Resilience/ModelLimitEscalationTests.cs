using System.ClientModel;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>
/// A cheaper tier whose model cannot take the request answers 400 with a context-window error, or
/// with OpenAI's unsupported-parameter error: while a higher tier is left, the gateway, which chose
/// that tier, tries the next one (<c>fallback:context-length</c>, <c>fallback:unsupported-parameter</c>).
/// Any other 400, and the last candidate's, reaches the client unchanged. The small tier is a
/// scripted upstream answering with <see cref="_smallAnswer"/>.
/// </summary>
public sealed class ModelLimitEscalationTests
{
    private const string OpenAIContextError = """{"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""";
    private const string VllmContextError = """{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 6616 tokens (568 in the messages, 6048 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","param":null,"code":400}""";
    private const string LlamaCppContextError = """{"error":{"code":400,"message":"request (4476 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error","n_prompt_tokens":4476,"n_ctx":4096}}""";
    private const string UnsupportedParameter = """{"error":{"message":"Unsupported parameter: 'reasoning_effort' is not supported with this model.","type":"invalid_request_error","param":"reasoning_effort","code":"unsupported_parameter"}}""";
    private const string UnsupportedValue = """{"error":{"message":"Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}}""";
    private const string OtherBadRequest = """{"error":{"message":"Invalid value for 'temperature': must be at most 2.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""";

    private string _smallAnswer = OpenAIContextError;
    private bool _chunked;
    private int _smallCalls;

    [Theory]
    [InlineData(OpenAIContextError, false, false)]
    [InlineData(OpenAIContextError, false, true)]
    [InlineData(VllmContextError, false, false)]
    [InlineData(LlamaCppContextError, true, false)]
    [InlineData(LlamaCppContextError, true, true)]
    public async Task Send_CheaperTierContextWindowTooSmall_NextTierAnswers(string error, bool chunked, bool stream)
    {
        (_smallAnswer, _chunked) = (error, chunked);
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "a long document", stream ? ",\"stream\":true" : "")));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("fallback:context-length", Json.Header(response, "x-rightsize-reason"));
        Assert.Contains(stream ? "\"model\":\"sim-mid\"" : "[sim-mid] a long document", text, StringComparison.Ordinal);
        Assert.DoesNotContain("context", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, Volatile.Read(ref _smallCalls));
        Assert.Equal(1, harness.Upstreams.Mid.Journal.TotalReceived);
    }

    [Theory]
    [InlineData(UnsupportedParameter)]
    [InlineData(UnsupportedValue)]
    public async Task Send_CheaperTierDoesNotTakeAParameter_NextTierAnswers(string error)
    {
        // A small model that is no reasoning model refuses reasoning_effort; a larger one may take it.
        _smallAnswer = error;
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "think hard", ",\"reasoning_effort\":\"low\"")));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("fallback:unsupported-parameter", Json.Header(response, "x-rightsize-reason"));
        Assert.Contains("[sim-mid] think hard", text, StringComparison.Ordinal);
        Assert.Equal(1, Volatile.Read(ref _smallCalls));
    }

    [Fact]
    public async Task Sdk_CheaperTierContextWindowTooSmall_AppGetsTheNextTiersAnswer()
    {
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small);

        ChatCompletion completion = await harness.ChatClient("cheap").CompleteChatAsync([new UserChatMessage("a long document")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("sim-mid", completion.Model);
        Assert.Contains("a long document", completion.Content[0].Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Send_OtherBadRequest_ReturnedAsIsWithoutEscalation(bool chunked)
    {
        // The gateway read this 400 to judge it: the client still gets it byte for byte.
        (_smallAnswer, _chunked) = (OtherBadRequest, chunked);
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(OtherBadRequest, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal(0, harness.Upstreams.Mid.Journal.TotalReceived);
    }

    [Fact]
    public async Task Sdk_LastCandidateContextWindowTooSmall_AppGetsTheUpstreamsError()
    {
        // No higher tier is allowed on this route: the provider's own explanation is the best answer.
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small, settings => settings["RightSize:Routes:cheap:MaxTier"] = "small");

        var failure = await Assert.ThrowsAsync<ClientResultException>(() =>
            harness.ChatClient("cheap").CompleteChatAsync([new UserChatMessage("a long document")], cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(400, failure.Status);
        Assert.Contains("context_length_exceeded", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, harness.Upstreams.Mid.Journal.TotalReceived);
    }

    [Fact]
    public async Task Send_EveryHigherTierFailsToo_ErrorNamesTheContextWindow()
    {
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small, settings => settings["RightSize:Routes:cheap:MaxTier"] = "mid");
        harness.Upstreams.Mid.Fail("status=500");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var message = (await Json.ReadAsync(response)).GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("small: sim-small (context-length)", message, StringComparison.Ordinal);
        Assert.Contains("mid: sim-mid (upstream-500)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_HigherTierRateLimited_503WithItsRetryAfter()
    {
        // Small can never take this request; whether mid can later is what the client needs to know.
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small, settings => settings["RightSize:Routes:cheap:MaxTier"] = "mid");
        harness.Upstreams.Mid.Fail("status=429;retry-after=30");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("upstream_unavailable", error.GetProperty("code").GetString());
        Assert.Contains("small: sim-small (context-length), mid: sim-mid (upstream-429)", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_HigherTierRefusesTheKey_502SaysNotToRetry()
    {
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small, settings => settings["RightSize:Routes:cheap:MaxTier"] = "mid");
        harness.Upstreams.Mid.Fail("status=401");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("false", Json.Header(response, "x-should-retry"));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task Send_ContextWindowErrorCompressedAnyway_NextTierAnswers(string coding)
    {
        await using var small = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            var body = Compression.Encode(Encoding.UTF8.GetBytes(OpenAIContextError), coding);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            context.Response.Headers.ContentEncoding = coding;
            await context.Response.Body.WriteAsync(body);
        });
        await using var harness = await StartGatewayAsync(small);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:context-length", Json.Header(response, "x-rightsize-reason"));
    }

    [Fact]
    public async Task Send_BadRequestBodyStallsPastTheDeadline_504AndTheUpstreamIsLetGo()
    {
        // The 400's body is read to judge it, under the same deadline as every other read.
        var released = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var small = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\":");
            await context.Response.Body.FlushAsync();
            var aborted = await ScriptedUpstream.WaitForAbortAsync(context, TimeSpan.FromSeconds(30));
            released.TrySetResult(aborted);
            if (!aborted) await context.Response.WriteAsync(OtherBadRequest[9..]);
        });
        await using var harness = await StartGatewayAsync(small, settings => settings["RightSize:Routes:cheap:Deadline"] = "00:00:02");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("small: sim-small (deadline)", (await Json.ReadAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(await released.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "the upstream was not let go");
    }

    [Fact]
    public async Task Send_BadRequestBodyCutShort_NextTierAnswers()
    {
        await using var small = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = OpenAIContextError.Length;
            await context.Response.WriteAsync(OpenAIContextError[..40]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(1500); // as the simulator's cuts: an abort drops what Kestrel has not sent yet
            context.Abort();
        });
        await using var harness = await StartGatewayAsync(small);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:response-cut", Json.Header(response, "x-rightsize-reason"));
    }

    [Theory]
    [InlineData(true, HttpStatusCode.OK)]           // too long to judge and no longer whole: held back as upstream-400
    [InlineData(false, HttpStatusCode.BadRequest)]  // declared too long to be a context-window error: passed on unread
    public async Task Send_BadRequestBodyOver64KiB_HeldBackOnlyWhenItsLengthWasNotDeclared(bool chunked, HttpStatusCode expected)
    {
        var large = "{\"error\":{\"message\":\"" + new string('x', 70 * 1024) + "\",\"type\":\"invalid_request_error\"}}";
        (_smallAnswer, _chunked) = (large, chunked);
        await using var small = await StartSmallAsync();
        await using var harness = await StartGatewayAsync(small);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(expected, response.StatusCode);
        if (chunked) Assert.Equal("fallback:upstream-400", Json.Header(response, "x-rightsize-reason"));
        else Assert.Equal(large, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private Task<ScriptedUpstream> StartSmallAsync() => ScriptedUpstream.StartAsync(async context =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        Interlocked.Increment(ref _smallCalls);
        var body = Encoding.UTF8.GetBytes(_smallAnswer);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        if (_chunked) await context.Response.StartAsync(); // headers first, so the body goes chunked
        else context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    });

    private static Task<GatewayHarness> StartGatewayAsync(ScriptedUpstream small, Action<Dictionary<string, string?>>? configure = null) =>
        GatewayHarness.StartAsync(settings =>
        {
            settings["RightSize:Upstreams:up-small:BaseUrl"] = small.BaseUrl;
            configure?.Invoke(settings);
        });
}
