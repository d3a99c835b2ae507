using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>
/// Tracing off (no OTLP endpoint, the default): the trace context an upstream receives is the
/// client's, unchanged, and none when the client sent none.
/// </summary>
public sealed class TracePropagationTests
{
    [Fact]
    public async Task TracingOff_ClientSentNoTraceparent_UpstreamReceivesNone()
    {
        await using var harness = await GatewayHarness.StartAsync();

        var received = await SendAsync(harness, headers: []);

        Assert.False(received.ContainsKey("traceparent"), "traceparent: " + (received.TryGetValue("traceparent", out var sent) ? sent : null));
        Assert.False(received.ContainsKey("tracestate"));
    }

    [Theory]
    [InlineData("01")]
    [InlineData("00")]
    public async Task TracingOff_ClientTraceparent_UpstreamReceivesItUnchanged(string flags)
    {
        await using var harness = await GatewayHarness.StartAsync();
        var traceparent = $"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-{flags}";

        var received = await SendAsync(harness, [("traceparent", traceparent), ("tracestate", "vendor=abc")]);

        Assert.Equal(traceparent, received["traceparent"]); // the client's own span as the parent: the gateway's span is not exported
        Assert.Equal("vendor=abc", received["tracestate"]);
    }

    /// <summary>
    /// A client that sends only the trace headers a test sets: the harness's own would, while
    /// another test's tracer provider listens, start a span and send its context instead.
    /// </summary>
    public static HttpClient Client(Uri baseAddress) => new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = baseAddress };

    private static async Task<IReadOnlyDictionary<string, string>> SendAsync(GatewayHarness harness, (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        using var client = Client(harness.BaseAddress);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return Assert.Single(harness.Upstreams.Small.Journal.Snapshot()).Headers;
    }
}
