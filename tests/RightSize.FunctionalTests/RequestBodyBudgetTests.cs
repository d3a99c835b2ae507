using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Resilience;
using RightSize.Server.Endpoints;

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

        harness.Upstreams.Small.Fail("delay=0");
        Assert.Equal(HttpStatusCode.OK, await PostOnceRoomReturnsAsync(harness, cancellation));
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

    [Fact]
    public async Task Chat_BodyStallsAfterMostOfItCame_408AfterRequestBodyTimeout_AndItsRoomReturns()
    {
        // Kestrel's minimum data rate alone would let such a body keep its room for hours.
        await using var harness = await StartAsync(("RightSize:Gateway:RequestBodyTimeout", "00:00:05"));
        var budget = harness.Gateway.App.Services.GetRequiredService<RequestBodyBudget>();
        var cancellation = TestContext.Current.CancellationToken;
        var body = Encoding.UTF8.GetBytes(Json.Chat("cheap", Prompt('a')));
        using var client = new TcpClient();
        await client.ConnectAsync(harness.BaseAddress.Host, harness.BaseAddress.Port, cancellation);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), cancellation);
        await stream.WriteAsync(body.AsMemory(0, body.Length - 10), cancellation);

        // Once the gateway has read what came, the stalled body holds its room: another body this
        // large finds none. (Sent earlier, that body could take the room first and leave the
        // stalled one the 503.)
        var waited = Stopwatch.StartNew();
        while (budget.Used < body.Length - 10 && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20, cancellation);
        Assert.True(budget.Used >= body.Length - 10, $"the stalled body holds {budget.Used} bytes of the budget");
        using (var meanwhile = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", Prompt('b'))), cancellation))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, meanwhile.StatusCode);
        }

        using var reader = new StreamReader(stream);
        var answer = await reader.ReadToEndAsync(cancellation).WaitAsync(TimeSpan.FromSeconds(30), cancellation);

        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("Connection: close", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"code\":\"request_timeout\"", answer, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await PostOnceRoomReturnsAsync(harness, cancellation));
    }

    private static string Prompt(char letter) => new(letter, BodyBytes);

    /// <summary>
    /// Posts a large body until it is not refused for want of room (for at most 10 s): a request's
    /// bytes are given back as its handler ends, which may be a moment after its client has the
    /// whole answer, so a client may meet one more 503, as an SDK's retry would.
    /// </summary>
    private static async Task<HttpStatusCode> PostOnceRoomReturnsAsync(GatewayHarness harness, CancellationToken cancellation)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", Prompt('c'))), cancellation);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || waited.Elapsed > TimeSpan.FromSeconds(10)) return response.StatusCode;
            await Task.Delay(20, cancellation);
        }
    }

    // Bodies up to 64 KiB, 100 KiB of room for them together: one 60 KB body fits, two do not.
    private static Task<GatewayHarness> StartAsync(params (string Key, string Value)[] more) => GatewayHarness.StartAsync(settings =>
    {
        settings["RightSize:Gateway:MaxRequestBodyBytes"] = "65536";
        settings["RightSize:Gateway:MaxBufferedRequestBytes"] = "102400";
        foreach (var (key, value) in more) settings[key] = value;
    });
}
