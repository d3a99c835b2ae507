using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>After the configured failures a tier is skipped without a call; after the break it is tried again.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task Circuit_AfterFailures_TierSkippedWithoutCallThenClosesAfterBreak()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var harness = await StartWithCircuitAsync("up-small", time);
        harness.Upstreams.Small.Fail("status=500");

        await SendAsync(harness);
        await SendAsync(harness);
        Assert.Equal(2, harness.Upstreams.Small.Journal.TotalReceived);

        using var skipped = await SendAsync(harness);
        Assert.Equal("fallback:circuit-open", Json.Header(skipped, "x-rightsize-reason"));
        Assert.Equal(2, harness.Upstreams.Small.Journal.TotalReceived);
        var ready = await Json.ReadAsync(await harness.Http.GetAsync("readyz"));
        Assert.Equal("open", ready.GetProperty("upstreams").GetProperty("up-small").GetString());
        using var circuit = new MetricCollector<int>(harness.Gateway.App.Services.GetRequiredService<IMeterFactory>(), "RightSize.Gateway", "rightsize.upstream.circuit.state");
        circuit.RecordObservableInstruments();
        Assert.Contains(circuit.GetMeasurementSnapshot(), m => m.Value == 2 && Equals(m.Tags["rightsize.upstream"], "up-small"));

        harness.Upstreams.Small.Faults.Remove(TestUpstreams.SmallModel);
        time.Advance(TimeSpan.FromSeconds(31));
        using var recovered = await SendAsync(harness);

        Assert.Equal("small", Json.Header(recovered, "x-rightsize-tier"));
        Assert.Equal(3, harness.Upstreams.Small.Journal.TotalReceived);
        ready = await Json.ReadAsync(await harness.Http.GetAsync("readyz"));
        Assert.Equal("closed", ready.GetProperty("upstreams").GetProperty("up-small").GetString());
    }

    [Fact]
    public async Task Circuit_HeadersWaitEndedByTheActivityTimeout_CountsAgainstTheUpstream()
    {
        // The forwarder's activity timer (1 s) also runs while headers are awaited and fires before
        // the upstream's HeadersTimeout (3 s): a hung upstream must still open its circuit.
        await using var harness = await GatewayHarness.StartAsync(settings =>
        {
            settings["RightSize:Gateway:UpstreamActivityTimeout"] = "00:00:01";
            settings["RightSize:Upstreams:up-small:HeadersTimeout"] = "00:00:03";
            settings["RightSize:Upstreams:up-small:CircuitBreaker:MinimumThroughput"] = "2";
            settings["RightSize:Upstreams:up-small:CircuitBreaker:FailureRatio"] = "0.5";
        });
        harness.Upstreams.Small.Fail("delay=5000");

        for (var i = 0; i < 2; i++)
        {
            using var timedOut = await SendAsync(harness);
            Assert.Equal("fallback:timeout", Json.Header(timedOut, "x-rightsize-reason"));
        }

        using var skipped = await SendAsync(harness);
        Assert.Equal("fallback:circuit-open", Json.Header(skipped, "x-rightsize-reason"));
        Assert.Equal(2, harness.Upstreams.Small.Journal.TotalReceived);
        var ready = await Json.ReadAsync(await harness.Http.GetAsync("readyz"));
        Assert.Equal("open", ready.GetProperty("upstreams").GetProperty("up-small").GetString());
    }

    [Theory]
    [InlineData("status=429;retry-after=25", "status=429;retry-after=20", 20)] // the shortest wait: the SDK's retry starts from small again
    [InlineData("status=503", "status=503", null)] // no upstream named a wait: none is made up from the circuit's
    public async Task Circuit_LastTierSkipped_503CarriesTheShortestWaitAnUpstreamNamed(string smallFault, string midFault, int? retryAfterSeconds)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var harness = await StartWithCircuitAsync("up-frontier", time);
        harness.Upstreams.Frontier.Fail("status=500");
        for (var i = 0; i < 2; i++)
        {
            using var pinned = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
            pinned.Headers.Add("x-rightsize-tier", "frontier");
            using var failed = await harness.Http.SendAsync(pinned);
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        harness.Upstreams.Small.Fail(smallFault);
        harness.Upstreams.Mid.Fail(midFault);
        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.EndsWith("frontier: " + TestUpstreams.FrontierModel + " (circuit-open).", (await Json.ReadAsync(response)).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, harness.Upstreams.Frontier.Journal.TotalReceived);
        Assert.Equal(retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null, response.Headers.RetryAfter?.Delta);
        Assert.Equal(retryAfterSeconds * 1000, response.Headers.TryGetValues("retry-after-ms", out var ms) ? int.Parse(ms.Single(), System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    /// <summary>A gateway whose <paramref name="upstream"/> opens its circuit after two failed calls, for 30 s of <paramref name="time"/>.</summary>
    private static Task<GatewayHarness> StartWithCircuitAsync(string upstream, FakeTimeProvider time) => GatewayHarness.StartAsync(
        settings =>
        {
            settings[$"RightSize:Upstreams:{upstream}:CircuitBreaker:MinimumThroughput"] = "2";
            settings[$"RightSize:Upstreams:{upstream}:CircuitBreaker:FailureRatio"] = "1";
            settings[$"RightSize:Upstreams:{upstream}:CircuitBreaker:BreakDuration"] = "00:00:30";
        },
        upstreams: null,
        services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));

    private static async Task<HttpResponseMessage> SendAsync(GatewayHarness harness)
    {
        var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
