using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using RightSize.Upstream.Simulator.Journal;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Handling;

/// <summary>Bodies the server refuses to read in full get an OpenAI-shaped error and a journal entry.</summary>
public class RequestBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertInvalidRequestError(RawResponse response, int status)
    {
        Assert.Equal(status, response.StatusCode);
        var error = Sim.Parse(response.Body).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    private static async Task AssertRecordedAsync(RequestJournal journal, int status)
    {
        var entry = await journal.WaitForEndAsync(model: null, Sim.WaitTimeout, Ct);
        Assert.Equal("/v1/chat/completions", entry.Path);
        Assert.Equal(status, entry.StatusCode);
        Assert.Equal(RequestOutcome.Completed, entry.Outcome);
    }

    [Fact]
    public async Task Post_ContentLengthOfTwoGigabytes_Returns413WithoutReservingIt()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), Ct);

        var response = await RawHttp.SendAsync(
            simulator.BaseAddress,
            "POST /v1/chat/completions HTTP/1.1\r\nHost: sim\r\nConnection: close\r\nContent-Length: 2147483647\r\n\r\n{",
            Ct);

        AssertInvalidRequestError(response, 413);
        await AssertRecordedAsync(simulator.Journal, 413);
    }

    [Fact]
    public async Task Post_MalformedChunkedBody_Returns400AndIsRecorded()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), Ct);

        var response = await RawHttp.SendAsync(
            simulator.BaseAddress,
            "POST /v1/chat/completions HTTP/1.1\r\nHost: sim\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            Ct);

        AssertInvalidRequestError(response, 400);
        await AssertRecordedAsync(simulator.Journal, 400);
    }

    [Fact]
    public async Task Post_BodyStallsBelowTheMinimumRate_Returns408AndIsRecorded()
    {
        var simulator = new SimulatorService(Sim.Options("small"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1000, gracePeriod: TimeSpan.FromSeconds(2)));
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapUpstreamSimulator(simulator);
        await app.StartAsync(Ct);

        var response = await RawHttp.SendAsync(
            new Uri(app.Urls.First()),
            "POST /v1/chat/completions HTTP/1.1\r\nHost: sim\r\nConnection: close\r\nContent-Length: 100\r\n\r\n{",
            Ct);

        AssertInvalidRequestError(response, (int)HttpStatusCode.RequestTimeout);
        await AssertRecordedAsync(simulator.Journal, 408);
        await app.StopAsync(Ct);
    }
}
