using System.Net;
using Microsoft.AspNetCore.Http;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>
/// A route's deadline passing before anything reached the client ends the request with one 504
/// that names the tier actually tried and carries nothing of the abandoned upstream answer.
/// Route <c>hurried</c> starts at small with a 1 s deadline, shorter than the small tier's header timeout.
/// </summary>
public sealed class DeadlineTests
{
    [Fact]
    public async Task Send_DeadlinePassesOnFirstTier_504NamesTheTierTried()
    {
        await using var harness = await GatewayHarness.StartAsync(Hurried);
        harness.Upstreams.Small.Fail("delay=6000");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("hurried", "hi")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream_timeout", await Json.ErrorCodeAsync(response));
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal(TestUpstreams.SmallModel, Json.Header(response, "x-rightsize-model"));
        Assert.Equal(0, harness.Upstreams.Mid.Journal.TotalReceived);
    }

    [Fact]
    public async Task Stream_HeadersThenSilenceUntilDeadline_504WithoutTheUpstreamHeaders()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(HeadersThenSilenceAsync);
        await using var harness = await GatewayHarness.StartAsync(settings =>
        {
            Hurried(settings);
            settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl;
        });

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("hurried", "hi", ",\"stream\":true")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("upstream_timeout", await Json.ErrorCodeAsync(response));
        Assert.False(response.Headers.Contains("x-upstream-request-id"));
        Assert.False(response.Headers.CacheControl?.NoCache ?? false);
    }

    [Fact]
    public async Task Send_RetryAfterEndsPastTheDeadline_503AtOnceWithTheUpstreamsRetryAfter()
    {
        // A wait of 4 s is within the route's Retry-After limit but not within its 2 s deadline:
        // the client gets the upstream's advice now, not a 504 when the deadline cuts the wait.
        await using var harness = await GatewayHarness.StartAsync(settings =>
        {
            settings["RightSize:Routes:solo:Tier"] = "small";
            settings["RightSize:Routes:solo:MaxTier"] = "small";
            settings["RightSize:Routes:solo:Deadline"] = "00:00:02";
            settings["RightSize:Routes:solo:RetryAfterLimit"] = "00:00:05";
        });
        harness.Upstreams.Small.Fail("status=429;retry-after=4");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("solo", "hi")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream_unavailable", await Json.ErrorCodeAsync(response));
        Assert.Equal(TimeSpan.FromSeconds(4), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, harness.Upstreams.Small.Journal.TotalReceived);
    }

    private static void Hurried(Dictionary<string, string?> settings)
    {
        settings["RightSize:Upstreams:up-small:HeadersTimeout"] = "00:00:05";
        settings["RightSize:Routes:hurried:DefaultTier"] = "small";
        settings["RightSize:Routes:hurried:Deadline"] = "00:00:01";
    }

    /// <summary>An event stream's headers, then nothing until the gateway gives up.</summary>
    private static async Task HeadersThenSilenceAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["x-upstream-request-id"] = "req_abandoned";
        await context.Response.StartAsync();
        await context.Response.Body.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The gateway gave up on this answer.
        }
    }
}
