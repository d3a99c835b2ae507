using System.Net;
using System.Net.Sockets;
using System.Text;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Hosting;

/// <summary>
/// SIGTERM to the published gateway (what Kubernetes sends after the preStop sleep) while a stream
/// is in flight: readiness turns to draining, new connections are refused once the drain delay is
/// over, and the stream still finishes with every chunk and <c>[DONE]</c>; the process exits 0.
/// A stream that would outlast <c>ShutdownTimeout</c> ends with a <c>shutting_down</c> error event
/// instead, before the host's timeout.
/// </summary>
public sealed class GracefulShutdownTests(PublishedGateway published)
{
    private const int Chunks = 10;

    [Fact]
    public async Task Sigterm_StreamInFlight_StreamCompletesReadinessDrainsNewConnectionsRefused()
    {
        await published.GetAsync();
        await using var upstreams = await ProviderSimulators.StartAsync(o =>
        {
            o.StreamChunks = Chunks;
            o.ChunkDelay = TimeSpan.FromMilliseconds(400);
        });
        using var config = new TempDirectory("rightsize-etc-");
        using var temp = new TempDirectory("rightsize-tmp-");
        ContainerEnvironment.WriteConfigMap(config.Path);
        var environment = ContainerEnvironment.For(config.Path, temp.Path, upstreams.Environment);
        environment["RightSize__Gateway__DrainDelay"] = "00:00:01.500";

        await using var gateway = await GatewayProcess.StartAsync(published.EntryAssembly, environment);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"auto","stream":true,"messages":[{"role":"user","content":"Tell me a long story."}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        events.Add(await ReadEventAsync(reader) ?? throw new InvalidOperationException("The stream ended before its first event."));

        await gateway.SignalAsync("TERM");
        var rest = ReadAllEventsAsync(reader);
        var (sawDraining, sawRefused) = await ProbeWhileDrainingAsync(gateway.BaseAddress, rest);
        events.AddRange(await rest);

        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(Chunks, events.Count(e => e.Contains("\"content\"", StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Contains("\"error\"", StringComparison.Ordinal));
        Assert.True(sawDraining, "/readyz never answered 503 draining after SIGTERM:\n" + gateway.Log);
        Assert.True(sawRefused, "new connections were still accepted after the drain delay:\n" + gateway.Log);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(40)));
    }

    [Fact]
    public async Task Sigterm_StreamOutlastsShutdownTimeout_EndsWithShuttingDownEventAndExits0()
    {
        await published.GetAsync();
        await using var upstreams = await ProviderSimulators.StartAsync(o =>
        {
            o.StreamChunks = 30;
            o.ChunkDelay = TimeSpan.FromMilliseconds(400);
        });
        using var config = new TempDirectory("rightsize-etc-");
        using var temp = new TempDirectory("rightsize-tmp-");
        ContainerEnvironment.WriteConfigMap(config.Path);
        var environment = ContainerEnvironment.For(config.Path, temp.Path, upstreams.Environment);
        environment["RightSize__Gateway__ShutdownTimeout"] = "00:00:03";

        await using var gateway = await GatewayProcess.StartAsync(published.EntryAssembly, environment);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"auto","stream":true,"messages":[{"role":"user","content":"Tell me a very long story."}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.NotNull(await ReadEventAsync(reader));

        await gateway.SignalAsync("TERM");
        var events = await ReadAllEventsAsync(reader);

        Assert.Contains("\"code\":\"shutting_down\"", events[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>Polls <c>/readyz</c> on fresh connections until one is refused or the stream ends.</summary>
    private static async Task<(bool Draining, bool Refused)> ProbeWhileDrainingAsync(Uri baseAddress, Task streamDone)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        var draining = false;
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (!streamDone.IsCompleted && DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "readyz"));
                probe.Headers.ConnectionClose = true;
                using var answer = await http.SendAsync(probe);
                var body = await answer.Content.ReadAsStringAsync();
                draining |= answer.StatusCode == HttpStatusCode.ServiceUnavailable && body.Contains("draining", StringComparison.Ordinal);
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return (draining, true);
            }

            await Task.Delay(50);
        }

        return (draining, false);
    }

    /// <summary>Every event until the stream ends or the connection is cut.</summary>
    private static async Task<List<string>> ReadAllEventsAsync(StreamReader reader)
    {
        var events = new List<string>();
        try
        {
            while (await ReadEventAsync(reader) is { } data) events.Add(data);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The gateway cuts the connection after an error event; the events so far tell the test what happened.
        }

        return events;
    }

    private static async Task<string?> ReadEventAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal)) return line["data: ".Length..];
        }

        return null;
    }
}
