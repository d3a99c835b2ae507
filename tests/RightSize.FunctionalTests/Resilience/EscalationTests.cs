using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>
/// Faults before the first byte move a request up the tiers (never past the route's MaxTier);
/// the client gets the escalated tier's answer, or one OpenAI-shaped error naming the tiers tried.
/// Route <c>cheap</c> starts at small; <c>capped</c> starts at small and stops at mid.
/// </summary>
public sealed class EscalationTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync(settings =>
    {
        settings["RightSize:Upstreams:up-small:HeadersTimeout"] = "00:00:02";
        settings["RightSize:Upstreams:up-mid:HeadersTimeout"] = "00:00:02";
        settings["RightSize:Upstreams:up-frontier:HeadersTimeout"] = "00:00:02";
        settings["RightSize:Routes:capped:DefaultTier"] = "small";
        settings["RightSize:Routes:capped:MaxTier"] = "mid";
        settings["RightSize:Routes:capped:Deadline"] = "00:00:10";
        settings["RightSize:Routes:noretry:RetryAfterLimit"] = "00:00:00";
    });

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Theory]
    [InlineData("status=500", "upstream-500", false)]
    [InlineData("status=503", "upstream-503", false)]
    [InlineData("status=429", "upstream-429", false)]
    [InlineData("status=429;retry-after=1", "upstream-429", false)]
    [InlineData("delay=6000", "timeout", false)]
    [InlineData("reset", "connection-reset", false)]
    [InlineData("cut-after=2", "response-cut", false)]
    [InlineData("status=503", "upstream-503", true)]
    [InlineData("delay=6000", "timeout", true)]
    [InlineData("reset", "connection-reset", true)]
    public async Task Send_CheapestTierFailsBeforeFirstByte_NextTierAnswers(string fault, string failure, bool stream)
    {
        _harness.Upstreams.Small.Fail(fault);

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hello there", stream ? ",\"stream\":true" : "")));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("sim-mid", Json.Header(response, "x-rightsize-model"));
        Assert.Equal("fallback:" + failure, Json.Header(response, "x-rightsize-reason"));
        Assert.Contains(stream ? "\"model\":\"sim-mid\"" : "[sim-mid] hello there", text, StringComparison.Ordinal);
        if (stream) Assert.EndsWith("data: [DONE]", text.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(1, _harness.Upstreams.Small.Journal.TotalReceived);
        Assert.Equal(1, _harness.Upstreams.Mid.Journal.TotalReceived);
        Assert.Equal(0, _harness.Upstreams.Frontier.Journal.TotalReceived);
    }

    [Fact]
    public async Task Send_NoBudgetForHeldAnswers_AnAnswerCutShortIsPassedOnNotRetried()
    {
        // Gateway:MaxHeldResponseBytes 0: every answer goes to the client as it arrives, so one the
        // upstream cuts short has started and can no longer go to the next tier (with the default
        // budget the same fault is retried on mid, as the theory above shows).
        await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Gateway:MaxHeldResponseBytes"] = "0");
        harness.Upstreams.Small.Fail("cut-after=2");

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hello there"))));

        Assert.Equal(1, harness.Upstreams.Small.Journal.TotalReceived);
        Assert.Equal(0, harness.Upstreams.Mid.Journal.TotalReceived);
    }

    [Fact]
    public async Task Send_RefusedConnection_NextTierAnswers()
    {
        using var closed = new ClosedPort();
        await using var harness = await GatewayHarness.StartAsync(settings =>
            settings["RightSize:Upstreams:up-small:BaseUrl"] = closed.BaseUrl);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:connect-refused", Json.Header(response, "x-rightsize-reason"));
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
    }

    [Fact]
    public async Task Send_TlsHandshakeFails_NamedTlsErrorAndNextTierAnswers()
    {
        // An https BaseUrl at a port that speaks plain HTTP: the handshake fails, the host is up.
        await using var harness = await GatewayHarness.StartAsync(settings =>
            settings["RightSize:Upstreams:up-small:BaseUrl"] = settings["RightSize:Upstreams:up-mid:BaseUrl"]!.Replace("http://", "https://", StringComparison.Ordinal));

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fallback:tls-error", Json.Header(response, "x-rightsize-reason"));
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
    }

    [Theory]
    [InlineData("status=503", 503, "upstream_unavailable", "upstream-503")]
    [InlineData("status=500", 502, "upstream_error", "upstream-500")]
    [InlineData("delay=6000", 504, "upstream_timeout", "timeout")]
    public async Task Send_EveryCandidateFails_OneErrorNamingTiersAndNeverPastMaxTier(string fault, int status, string code, string failure)
    {
        _harness.Upstreams.Small.Fail(fault);
        _harness.Upstreams.Mid.Fail(fault);

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("capped", "hi")));

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.EndsWith($"Tried: small: {TestUpstreams.SmallModel} ({failure}), mid: {TestUpstreams.MidModel} ({failure}).", message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.Frontier.Journal.TotalReceived);
    }

    [Fact]
    public async Task Embeddings_UpstreamFails_ErrorNamesTheModelTried()
    {
        // A route's embeddings go to its highest tier's upstream unless it names one (cheap: frontier).
        _harness.Upstreams.Frontier.Fail("status=500");

        using var response = await _harness.Http.PostAsync("routes/cheap/v1/embeddings", Json.Body($"{{\"model\":\"{TestUpstreams.FrontierModel}\",\"input\":\"hi\"}}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var message = (await Json.ReadAsync(response)).GetProperty("error").GetProperty("message").GetString()!;
        Assert.EndsWith($"Tried: {TestUpstreams.FrontierModel} (upstream-500).", message, StringComparison.Ordinal);
        Assert.DoesNotContain("up-frontier", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_EveryTierAnswers504_504UpstreamTimeout()
    {
        // A provider's own gateway timed out: the client gets a timeout, as a timeout of the gateway's own gives.
        _harness.Upstreams.Small.Fail("status=504");
        _harness.Upstreams.Mid.Fail("delay=6000");
        _harness.Upstreams.Frontier.Fail("status=504");

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("upstream_timeout", error.GetProperty("code").GetString());
        Assert.EndsWith($"Tried: small: {TestUpstreams.SmallModel} (upstream-504), mid: {TestUpstreams.MidModel} (timeout), frontier: {TestUpstreams.FrontierModel} (upstream-504).", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_EveryTierRateLimited_503WithTheShortestRetryAfter()
    {
        // Upstream trouble is a 5xx (DESIGN.md), rate limits included; the client's SDK backs off by
        // the shortest wait, as its retry starts from small again.
        _harness.Upstreams.Small.Fail("status=429;retry-after=40");
        _harness.Upstreams.Mid.Fail("status=429;retry-after=25");
        _harness.Upstreams.Frontier.Fail("status=429;retry-after=30");

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("upstream_unavailable", error.GetProperty("code").GetString());
        Assert.EndsWith($"Tried: small: {TestUpstreams.SmallModel} (upstream-429), mid: {TestUpstreams.MidModel} (upstream-429), frontier: {TestUpstreams.FrontierModel} (upstream-429).", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(25), response.Headers.RetryAfter?.Delta);
        Assert.Equal("25000", Assert.Single(response.Headers.GetValues("retry-after-ms")));
    }

    [Theory]
    [InlineData("status=429;retry-after=30", 30)] // more than the route waits itself: the client's SDK backs off by it instead
    [InlineData("status=503", null)] // no Retry-After is made up
    public async Task Send_EveryTierUnavailable_503CarriesTheLastUpstreamsRetryAfter(string frontierFault, int? retryAfterSeconds)
    {
        _harness.Upstreams.Small.Fail("status=503");
        _harness.Upstreams.Mid.Fail("status=503");
        _harness.Upstreams.Frontier.Fail(frontierFault);

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(retryAfterSeconds, response.Headers.RetryAfter?.Delta?.TotalSeconds is { } seconds ? (int)seconds : null);
        Assert.Equal(retryAfterSeconds * 1000, response.Headers.TryGetValues("retry-after-ms", out var ms) ? int.Parse(ms.Single(), System.Globalization.CultureInfo.InvariantCulture) : null);
        Assert.Equal(1, _harness.Upstreams.Frontier.Journal.TotalReceived);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public async Task Send_LastCandidateFailsWithShouldRetry_GatewaysErrorPassesTheAdviceOn(string advice)
    {
        // OpenAI tells its SDKs whether a failure is worth retrying; a retry of the gateway's error
        // would run every tier again.
        await using var frontier = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.Headers["x-should-retry"] = advice;
            await context.Response.WriteAsync("{\"error\":{\"message\":\"no\",\"type\":\"server_error\"}}");
        });
        await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-frontier:BaseUrl"] = frontier.BaseUrl);
        using var request = Json.ChatForTier("auto", "hi", "frontier");

        using var response = await harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(advice, Assert.Single(response.Headers.GetValues("x-should-retry")));
    }

    [Fact]
    public async Task Send_LastCandidateFailsWithoutAdvice_NoShouldRetryMadeUp()
    {
        _harness.Upstreams.Small.Fail("status=503");
        _harness.Upstreams.Mid.Fail("status=503");
        _harness.Upstreams.Frontier.Fail("status=500");

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.False(response.Headers.Contains("x-should-retry"));
    }

    [Fact]
    public async Task Embeddings_429WithShortRetryAfter_RetriedOnceAndAnswers()
    {
        // The route's one embeddings candidate is its last, so it waits out a short Retry-After as chat does.
        _harness.Upstreams.Frontier.Fail("status=429;retry-after=1;times=1");

        using var response = await _harness.Http.PostAsync("routes/cheap/v1/embeddings", Json.Body($"{{\"model\":\"{TestUpstreams.FrontierModel}\",\"input\":\"hi\"}}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _harness.Upstreams.Frontier.Journal.TotalReceived);
        Assert.True((await Json.ReadAsync(response)).TryGetProperty("data", out _));
    }

    [Fact]
    public async Task Send_FailedTiersReasonPhrase_NotOnTheNextTiersAnswer()
    {
        // nginx words its 503 "Service Temporarily Unavailable"; YARP copies a non-standard phrase.
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = "Service Temporarily Unavailable";
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>503</html>");
        });
        await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("OK", response.ReasonPhrase);
    }

    [Fact]
    public async Task Send_Upstream4xx_ReturnedAsIsWithoutEscalation()
    {
        _harness.Upstreams.Small.Fail("status=400");

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json.ReadAsync(response)).TryGetProperty("error", out _));
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal(0, _harness.Upstreams.Mid.Journal.TotalReceived);
    }

    [Fact]
    public async Task Send_LastCandidate429WithShortRetryAfter_RetriedOnceAndAnswers()
    {
        _harness.Upstreams.Frontier.Fail("status=429;retry-after=1;times=1");

        using var request = Json.ChatForTier("auto", "hi", "frontier");
        using var retried = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, _harness.Upstreams.Frontier.Journal.TotalReceived);
        Assert.Equal("fallback:upstream-429", Json.Header(retried, "x-rightsize-reason"));
    }

    [Fact]
    public async Task Send_LastCandidate429WithRetryAfterAsADate_RetriedOnceAndAnswers()
    {
        // Retry-After may be an HTTP date (RFC 9110): two seconds on, well within the 5 s limit.
        var calls = 0;
        await using var frontier = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsync("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}");
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}");
        });
        await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-frontier:BaseUrl"] = frontier.BaseUrl);
        using var request = Json.ChatForTier("auto", "hi", "frontier");

        using var response = await harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Volatile.Read(ref calls));
        Assert.Equal("fallback:upstream-429", Json.Header(response, "x-rightsize-reason"));
    }

    [Fact]
    public async Task Send_RetryAfterLimitZero_LastCandidate429NotRetried()
    {
        _harness.Upstreams.Frontier.Fail("status=429;retry-after=0;times=1");

        using var request = Json.ChatForTier("noretry", "hi", "frontier");
        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream_unavailable", await Json.ErrorCodeAsync(response));
        Assert.Equal(1, _harness.Upstreams.Frontier.Journal.TotalReceived);
    }

    [Fact]
    public async Task Send_NonStreamingBodyCutOnLastCandidate_502NotTruncated200()
    {
        _harness.Upstreams.Frontier.Fail("cut-after=1");
        using var request = Json.ChatForTier("auto", "hi", "frontier");

        using var response = await _harness.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_error", await Json.ErrorCodeAsync(response));
    }
}
