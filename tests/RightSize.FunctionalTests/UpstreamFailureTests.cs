using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>An upstream that cannot be reached gives an OpenAI-shaped 502, not a hang or a 500.</summary>
public sealed class UpstreamFailureTests
{
    [Fact]
    public async Task Post_UnreachableUpstream_502InOpenAIShapeWithDecisionHeaders()
    {
        var closedPort = ClosedPort();
        await using var harness = await GatewayHarness.StartAsync(settings =>
            settings["RightSize:Upstreams:up-small:BaseUrl"] = $"http://127.0.0.1:{closedPort}/v1");
        var clock = Stopwatch.StartNew();

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        Assert.Equal("upstream_error", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), "a refused connection must fail, not hang until the client gives up");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
