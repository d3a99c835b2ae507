using System.Net;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Resilience;

namespace RightSize.FunctionalTests;

/// <summary>
/// Request bodies being routed share <c>Gateway:MaxBufferedRequestBytes</c>: a body that finds no
/// room while others are held gets a 503 the SDKs retry, and the room comes back when a request ends.
/// </summary>
public sealed class RequestBodyBudgetTests
{
    private const int BodyBytes = 60 * 1024;

    [Fact]
    public async Task Chat_SecondLargeBodyWhileTheFirstIsRouted_503GatewayBusy_AndRoomReturnsAfterward()
    {
        await using var harness = await StartAsync();
        harness.Upstreams.Small.Fail("delay=1500");
        var cancellation = TestContext.Current.CancellationToken;

        var first = harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", Prompt('a'))), cancellation);
        while (harness.Upstreams.Small.Journal.TotalReceived == 0) await Task.Delay(20, cancellation);

        using (var second = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", Prompt('b'))), cancellation))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
            var error = (await Json.ReadAsync(second)).GetProperty("error");
            Assert.Equal("gateway_busy", error.GetProperty("code").GetString());
        }

        using (var firstResponse = await first)
        {
            Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        }

        // The first request's bytes are given back when its handler ends, which may be a moment after
        // its client has the whole answer: a client may meet one more 503, as an SDK's retry would.
        harness.Upstreams.Small.Fail("delay=0");
        var third = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 50 && third == HttpStatusCode.ServiceUnavailable; i++)
        {
            if (i > 0) await Task.Delay(20, cancellation);
            using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", Prompt('c'))), cancellation);
            third = response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, third);
        Assert.Equal(2, harness.Upstreams.Small.Journal.TotalReceived);
    }

    [Fact]
    public async Task Chat_SmallBodiesAtOnce_AllServed()
    {
        // 100 KiB of room holds many ordinary requests at once.
        await using var harness = await StartAsync();
        harness.Upstreams.Small.Fail("delay=300");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", $"hello {i}")), TestContext.Current.CancellationToken)));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        foreach (var response in responses) response.Dispose();
    }

    private static string Prompt(char letter) => new(letter, BodyBytes);

    // Bodies up to 64 KiB, 100 KiB of room for them together: one 60 KB body fits, two do not.
    private static Task<GatewayHarness> StartAsync() => GatewayHarness.StartAsync(settings =>
    {
        settings["RightSize:Gateway:MaxRequestBodyBytes"] = "65536";
        settings["RightSize:Gateway:MaxBufferedRequestBytes"] = "102400";
    });
}
