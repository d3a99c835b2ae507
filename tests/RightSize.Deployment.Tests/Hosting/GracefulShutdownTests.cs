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
/// instead, before the host's timeout. Either way the log has the shutdown's start (event 140).
/// </summary>
public sealed class GracefulShutdownTests(PublishedGateway published)
{
    private const int Chunks = 20; // 8 s of stream, well past the drain delay

    [Fact]
    public async Task Sigterm_StreamInFlight_StreamCompletesReadinessDrainsNewConnectionsRefused()
    {
        await using var run = await StreamingRun.StartAsync(published, Chunks, ("RightSize__Gateway__DrainDelay", "00:00:03"));
        Assert.Equal(HttpStatusCode.OK, run.Response.StatusCode);
        var events = new List<string>();
        events.Add(await ReadEventAsync(run.Reader) ?? throw new InvalidOperationException("The stream ended before its first event."));

        // Probing starts before the signal: a slow start of the signalling process must not use up the drain delay.
        var rest = ReadAllEventsAsync(run.Reader);
        var probing = ProbeWhileDrainingAsync(run.Gateway.BaseAddress, rest);
        await run.Gateway.SignalAsync("TERM");
        var (sawDraining, sawRefused) = await probing;
        events.AddRange(await rest);

        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal(Chunks, events.Count(e => e.Contains("\"content\"", StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Contains("\"error\"", StringComparison.Ordinal));
        Assert.True(sawDraining, "/readyz never answered 503 draining after SIGTERM:\n" + run.Gateway.Log);
        Assert.True(sawRefused, "new connections were still accepted after the drain delay:\n" + run.Gateway.Log);
        Assert.Equal(0, await run.Gateway.WaitForExitAsync(TimeSpan.FromSeconds(40)));
    }

    [Fact]
    public async Task Sigterm_StreamOutlastsShutdownTimeout_EndsWithShuttingDownEventAndExits0()
    {
        // 30 chunks 400 ms apart: 12 s of stream against a 6 s shutdown timeout, whose cutoff at 5 s
        // leaves the gateway 1 s (the most it keeps) to write and send the error event.
        await using var run = await StreamingRun.StartAsync(published, 30, ("RightSize__Gateway__ShutdownTimeout", "00:00:06"));
        Assert.NotNull(await ReadEventAsync(run.Reader));

        await run.Gateway.SignalAsync("TERM");
        var events = await ReadAllEventsAsync(run.Reader);

        Assert.Contains("\"code\":\"shutting_down\"", events[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", events);
        Assert.Equal(0, await run.Gateway.WaitForExitAsync(TimeSpan.FromSeconds(20)));

        // No drain delay here, yet the shutdown still logs its start (until 2026-12-02 only a positive delay did).
        Assert.Contains("\"EventId\":{\"Id\":140,\"Name\":\"Draining\"}", run.Gateway.Log, StringComparison.Ordinal);
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
            catch (HttpRequestException ex) when (SocketErrorOf(ex) is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                // Refused once the listener is closed; reset when a probe's connection arrived as it closed.
                return (draining, true);
            }

            await Task.Delay(50);
        }

        return (draining, false);
    }

    private static SocketError? SocketErrorOf(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket) return socket.SocketErrorCode;
        }

        return null;
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

    /// <summary>The published gateway with one extra setting, in front of simulators that stream <c>chunks</c> events 400 ms apart, and one streaming request in flight.</summary>
    private sealed class StreamingRun : IAsyncDisposable
    {
        private readonly ContainerRun _run;

        private StreamingRun(ContainerRun run, HttpResponseMessage response, StreamReader reader)
        {
            _run = run;
            Response = response;
            Reader = reader;
        }

        public GatewayProcess Gateway => _run.Gateway;

        public HttpResponseMessage Response { get; }

        public StreamReader Reader { get; }

        public static async Task<StreamingRun> StartAsync(PublishedGateway published, int chunks, (string Key, string Value) setting)
        {
            var run = await ContainerRun.StartAsync(
                published,
                upstreams: o =>
                {
                    o.StreamChunks = chunks;
                    o.ChunkDelay = TimeSpan.FromMilliseconds(400);
                },
                settings: new Dictionary<string, string> { [setting.Key] = setting.Value });
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(run.Gateway.BaseAddress, "v1/chat/completions"))
            {
                Content = new StringContent("""{"model":"auto","stream":true,"messages":[{"role":"user","content":"Tell me a long story."}]}""", Encoding.UTF8, "application/json"),
            };
            var response = await run.Gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            return new StreamingRun(run, response, reader);
        }

        public async ValueTask DisposeAsync()
        {
            Reader.Dispose();
            Response.Dispose();
            await _run.DisposeAsync();
        }
    }
}
