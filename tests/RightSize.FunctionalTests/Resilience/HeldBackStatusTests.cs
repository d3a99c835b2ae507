using System.Net;
using Microsoft.AspNetCore.Http;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>
/// Answers that are never the client's, held back like a 5xx: a 3xx (redirects are not followed,
/// and its <c>Location</c> names the upstream's own address) and a 401 or 403 (they refuse the
/// gateway's key, not the client's). The next tier answers; on the last candidate the client gets
/// the gateway's 502 <c>upstream_error</c>, never the upstream's text or <c>Location</c>.
/// Route <c>capped</c> tries small, then mid.
/// </summary>
public sealed class HeldBackStatusTests
{
    private const string InternalLocation = "http://127.0.0.1:48161/v2/chat/completions";

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(408)] // the upstream's own timeout on the gateway's request
    public async Task Send_UpstreamRefusesTheGatewaysKeyOrTimesOut_NextTierAnswers(int status)
    {
        await using var harness = await StartGatewayAsync();
        harness.Upstreams.Small.Fail($"status={status}");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal($"fallback:upstream-{status}", Json.Header(response, "x-rightsize-reason"));
    }

    [Theory]
    [InlineData(401, "Incorrect API key")]
    [InlineData(403, "permission denied")]
    public async Task Send_LastCandidateRefusesTheGatewaysKey_Gateway502WithoutTheUpstreamsText(int status, string upstreamText)
    {
        await using var harness = await StartGatewayAsync();
        harness.Upstreams.Small.Fail($"status={status}");
        harness.Upstreams.Mid.Fail($"status={status}");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("capped", "hi")));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.DoesNotContain(upstreamText, text, StringComparison.OrdinalIgnoreCase);
        var message = (await Json.ReadAsync(response)).GetProperty("error").GetProperty("message").GetString();
        Assert.EndsWith($"Tried: small: {TestUpstreams.SmallModel} (upstream-{status}), mid: {TestUpstreams.MidModel} (upstream-{status}).", message, StringComparison.Ordinal);
        Assert.Equal("false", Json.Header(response, "x-should-retry")); // the SDK would only run the refused tiers again
    }

    [Fact]
    public async Task Send_EveryCandidateAnswers408_Gateway504()
    {
        await using var harness = await StartGatewayAsync();
        harness.Upstreams.Small.Fail("status=408");
        harness.Upstreams.Mid.Fail("status=408");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("capped", "hi")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("upstream_timeout", error.GetProperty("code").GetString());
        Assert.EndsWith($"Tried: small: {TestUpstreams.SmallModel} (upstream-408), mid: {TestUpstreams.MidModel} (upstream-408).", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_RefusedOnOneTierAndUnavailableOnTheOther_LeavesRetryingToTheClient()
    {
        await using var harness = await StartGatewayAsync();
        harness.Upstreams.Small.Fail("status=500");
        harness.Upstreams.Mid.Fail("status=401");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("capped", "hi")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.False(response.Headers.Contains("x-should-retry"));
    }

    [Theory]
    [InlineData(302, false)]
    [InlineData(307, true)]
    public async Task Send_UpstreamRedirects_NextTierAnswersWithoutTheLocation(int status, bool stream)
    {
        await using var small = await StartRedirectingAsync(status);
        await using var harness = await StartGatewayAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = small.BaseUrl);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi", stream ? ",\"stream\":true" : "")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal($"fallback:upstream-{status}", Json.Header(response, "x-rightsize-reason"));
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Send_LastCandidateRedirects_Gateway502WithoutTheLocation()
    {
        await using var redirecting = await StartRedirectingAsync(StatusCodes.Status302Found);
        await using var harness = await StartGatewayAsync(settings =>
        {
            settings["RightSize:Upstreams:up-small:BaseUrl"] = redirecting.BaseUrl;
            settings["RightSize:Upstreams:up-mid:BaseUrl"] = redirecting.BaseUrl;
        });

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("capped", "hi")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_error", await Json.ErrorCodeAsync(response));
        Assert.Null(response.Headers.Location);
        Assert.Equal("fallback:upstream-302", Json.Header(response, "x-rightsize-reason"));
        Assert.Equal("false", Json.Header(response, "x-should-retry"));
    }

    private static Task<GatewayHarness> StartGatewayAsync(Action<Dictionary<string, string?>>? configure = null) => GatewayHarness.StartAsync(settings =>
    {
        settings["RightSize:Routes:capped:DefaultTier"] = "small";
        settings["RightSize:Routes:capped:MaxTier"] = "mid";
        configure?.Invoke(settings);
    });

    private static Task<ScriptedUpstream> StartRedirectingAsync(int status) => ScriptedUpstream.StartAsync(async context =>
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.StatusCode = status;
        context.Response.Headers.Location = InternalLocation;
    });
}
