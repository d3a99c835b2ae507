using System.Text;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Hosting;

/// <summary>
/// The published gateway with tracing off (no OTLP endpoint, the deployment's default) passes the
/// client's W3C trace context upstream unchanged: the same trace, parent and sampling decision, so
/// an upstream that samples by its parent keeps the client's traces; and none when the client sent
/// none. Run as its own process, since trace listeners are process-wide.
/// </summary>
public sealed class TraceContextTests(PublishedGateway published)
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Theory]
    [InlineData("01")]
    [InlineData("00")]
    public async Task TracingOff_ClientTraceparent_ReachesUpstreamWithTheSameTraceAndFlags(string flags)
    {
        await using var run = await ContainerRun.StartAsync(published);
        var (gateway, upstreams) = (run.Gateway, run.Upstreams);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-{flags}");

        using var response = await gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken) + "\n" + gateway.Log);
        var received = Assert.Single(upstreams.OpenAI.Journal.Snapshot().Concat(upstreams.Local.Journal.Snapshot()));
        Assert.Equal($"00-{TraceId}-00f067aa0ba902b7-{flags}", received.Headers["traceparent"]);
    }

    [Fact]
    public async Task TracingOff_NoClientTraceparent_UpstreamReceivesNone()
    {
        await using var run = await ContainerRun.StartAsync(published);
        var (gateway, upstreams) = (run.Gateway, run.Upstreams);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await gateway.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken) + "\n" + gateway.Log);
        var received = Assert.Single(upstreams.OpenAI.Journal.Snapshot().Concat(upstreams.Local.Journal.Snapshot()));
        Assert.False(received.Headers.ContainsKey("traceparent"), "The upstream received traceparent " + received.Headers.GetValueOrDefault("traceparent"));
    }
}
