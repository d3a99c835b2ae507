using System.Diagnostics;
using System.Net;
using RightSize.Upstream.Simulator.Faults;
using RightSize.Upstream.Simulator.Journal;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Faults;

public class FaultInjectionTests
{
    [Theory]
    [InlineData(500, "server_error")]
    [InlineData(503, "server_error")]
    [InlineData(400, "invalid_request_error")]
    public async Task PostChat_StatusFaultHeader_ReturnsStatusWithOpenAIError(int status, string type)
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), $"status={status}"), TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await Sim.JsonAsync(response)).GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal($"status={status}", Assert.Single(simulator.Journal.Snapshot()).Fault);
    }

    [Fact]
    public async Task PostChat_RateLimitWithRetryAfter_SendsRetryAfterHeader()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "status=429;retry-after=2"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limit_exceeded", (await Sim.JsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task PostChat_StatusWithoutRetryAfter_SendsNoRetryAfterHeader()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "status=429"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task PostChat_DelayFault_HeadersArriveNoSoonerThanDelay()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        var watch = Stopwatch.StartNew();

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "delay=600"), TestContext.Current.CancellationToken);

        watch.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(550), $"headers after {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task PostChat_StreamingDrip_StreamTakesAtLeastTheDripGaps()
    {
        var options = Sim.Options("small");
        options.StreamChunks = 4;
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        var watch = Stopwatch.StartNew();

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi", stream: true), "drip=100"), TestContext.Current.CancellationToken);
        var events = await Sim.ReadEventsAsync(response);

        watch.Stop();
        Assert.Equal(6, events.Count);
        Assert.Equal("[DONE]", events[^1]);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"stream took {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(9)]
    public async Task PostChat_StreamingCutAfter_ClientGetsExactlyNEventsThenIOException(int cutAfter)
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi", stream: true), $"cut-after={cutAfter}"), TestContext.Current.CancellationToken);
        var events = new List<string>();

        await Assert.ThrowsAnyAsync<IOException>(() => Sim.ReadEventsAsync(response, events, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(cutAfter, events.Count);
        Assert.DoesNotContain("[DONE]", events);
        var entry = await simulator.Journal.WaitForEndAsync("small", Sim.WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(RequestOutcome.ServerAborted, entry.Outcome);
        Assert.False(entry.ClientAborted);
    }

    [Fact]
    public async Task PostChat_NonStreamingCutAfter_SendsHalfTheDeclaredLengthThenIOException()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "cut-after=1"), TestContext.Current.CancellationToken);
        var declared = response.Content.Headers.ContentLength;
        using var received = new MemoryStream();

        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await using var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            await stream.CopyToAsync(received, TestContext.Current.CancellationToken);
        });

        Assert.NotNull(declared);
        Assert.Equal(declared / 2, received.Length);
    }

    [Fact]
    public async Task PostChat_ResetFault_ClientGetsNoResponse()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        await Assert.ThrowsAsync<HttpRequestException>(() => Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "reset"), TestContext.Current.CancellationToken));

        var entry = await simulator.Journal.WaitForEndAsync("small", Sim.WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(RequestOutcome.ServerAborted, entry.Outcome);
        Assert.Null(entry.StatusCode);
    }

    [Fact]
    public async Task PostChat_TimesOneHeader_FailsOnceThenSucceeds()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var first = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "status=503;times=1"), TestContext.Current.CancellationToken);
        using var second = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "status=503;times=1"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([503, 200], simulator.Journal.Snapshot().Select(r => r.StatusCode ?? 0));
    }

    [Fact]
    public async Task PostChat_ModelFaultFromOptionsWithTimes_FailsThatModelOnlyThenRecovers()
    {
        var options = Sim.Options("small", "mid");
        options.Faults["small"] = FaultScript.Parse("status=500;times=2");
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        var statuses = new List<int>();
        foreach (var model in new[] { "mid", "small", "small", "small" })
        {
            using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody(model, "hi")), TestContext.Current.CancellationToken);
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([200, 500, 500, 200], statuses);
    }

    [Fact]
    public async Task PostChat_HeaderAndModelFault_HeaderWinsAndNoneDisables()
    {
        var options = Sim.Options("small");
        options.Faults["small"] = FaultScript.Parse("status=503");
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var byModel = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi")), TestContext.Current.CancellationToken);
        using var byHeader = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "status=429"), TestContext.Current.CancellationToken);
        using var disabled = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "none"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, byModel.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
    }

    [Fact]
    public async Task FaultsSet_WhileRunning_AppliesToNextRequestAndRemoveClearsIt()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        simulator.Faults.Set("small", FaultScript.Parse("status=502"));
        using var failing = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi")), TestContext.Current.CancellationToken);
        Assert.True(simulator.Faults.Remove("small"));
        using var healthy = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, failing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task PostChat_InvalidFaultHeader_Returns400NamingTheHeader()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi"), "status=nope"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await Sim.JsonAsync(response)).GetProperty("error");
        Assert.Equal("x-simulator-fault", error.GetProperty("param").GetString());
        Assert.Contains("status=nope", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetModel_ModelHasFaultScript_AppliesItAsToEveryRequestForThatModel()
    {
        var options = Sim.Options("small", "mid");
        options.Faults["small"] = FaultScript.Parse("status=503");
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var faulted = await client.GetAsync("models/small", TestContext.Current.CancellationToken);
        using var other = await client.GetAsync("models/mid", TestContext.Current.CancellationToken);
        using var list = await client.GetAsync("models", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("status=503", simulator.Journal.Snapshot()[0].Fault);
    }
}
