using System.Net;
using Microsoft.AspNetCore.Http;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>
/// The wait a 503 advises its client when every upstream was unavailable: only waits still to come.
/// Route <c>solo</c> serves the small tier only, from a scripted upstream.
/// </summary>
public sealed class RetryAfterAdviceTests
{
    [Fact]
    public async Task Send_429WaitedOutThenA429WithoutRetryAfter_503AdvertisesNoWait()
    {
        // The gateway waits the first 429's 1 s and tries once more; the second 429 names no wait.
        // The first one's wait is over, so the client is not told to wait it again.
        var calls = 0;
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.StatusCode = 429;
            if (Interlocked.Increment(ref calls) == 1) context.Response.Headers.RetryAfter = "1";
            await context.Response.WriteAsync("""{"error":{"message":"slow down","type":"rate_limit_error"}}""");
        });
        await using var harness = await GatewayHarness.StartAsync(settings =>
        {
            settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl;
            settings["RightSize:Routes:solo:Tier"] = "small";
            settings["RightSize:Routes:solo:MaxTier"] = "small";
        });

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("solo", "hi")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(2, calls);
        Assert.Null(response.Headers.RetryAfter);
        Assert.False(response.Headers.Contains("retry-after-ms"));
    }
}
