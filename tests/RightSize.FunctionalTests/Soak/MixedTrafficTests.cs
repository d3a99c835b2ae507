using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Server.Observability;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.FunctionalTests.Soak;

/// <summary>
/// A small, concurrent version of the chaos soak (docs/soak.md): mixed requests at once, with a
/// failing tier, upstream cuts, clients that give up mid-stream and bad bodies. Each client sees
/// the answer the contract promises, and the stats count exactly what was sent.
/// </summary>
public sealed class MixedTrafficTests : IAsyncLifetime
{
    private const int EachKind = 12;

    private readonly RecordingObserver _observer = new();
    private GatewayHarness _harness = null!;

    // Small's circuit must not open halfway through (its default needs only 5 calls), or some
    // escalations would be for circuit-open, depending on how the requests happen to interleave.
    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync(
        configure: settings => settings["RightSize:Upstreams:up-small:CircuitBreaker:MinimumThroughput"] = "1000",
        upstreams: null,
        services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver>(_observer)));

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task MixedConcurrentTraffic_WithFaults_EveryClientGetsItsAnswerAndStatsCountEveryRequest()
    {
        _harness.Upstreams.Small.Faults.Set(TestUpstreams.SmallModel, FaultScript.Parse("status=503"));
        var kinds = new Func<int, Task<string>>[] { EscalatedAsync, StreamAsync, CutStreamAsync, AbandonedStreamAsync, BadBodyAsync };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, EachKind).SelectMany(i => kinds.Select(kind => kind(i))));

        Assert.All(outcomes, outcome => Assert.Equal("ok", outcome));
        var recorded = 4 * EachKind; // bad bodies are answered before routing and not recorded
        for (var i = 0; i < recorded; i++) await _observer.NextAsync();
        using var stats = await _harness.Http.GetAsync("rightsize/stats");
        var total = (await Json.ReadAsync(stats)).GetProperty("total");
        Assert.Equal(recorded, total.GetProperty("requests").GetInt32());
        Assert.Equal(2 * EachKind, total.GetProperty("errors").GetInt32());       // the cut streams and the abandoned ones
        Assert.Equal(EachKind, total.GetProperty("clientAborts").GetInt32());
        Assert.Equal(EachKind, total.GetProperty("escalations").GetProperty("upstream-503").GetInt32());
    }

    // Route cheap starts on small, which fails: the answer comes from mid.
    private async Task<string> EscalatedAsync(int i)
    {
        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", $"escalate {i}")));
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK && Json.Header(response, "x-rightsize-reason") == "fallback:upstream-503" && body.Contains(TestUpstreams.MidModel)
            ? "ok" : $"escalated {i}: {(int)response.StatusCode} {body}";
    }

    private async Task<string> StreamAsync(int i)
    {
        var body = await (await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("auto", $"stream {i}", ",\"stream\":true")))).Content.ReadAsStringAsync();
        return body.TrimEnd().EndsWith("data: [DONE]", StringComparison.Ordinal) && !body.Contains("\"error\"") ? "ok" : $"stream {i}: {body}";
    }

    // The upstream dies after two events: the client gets them, then an error event, never [DONE].
    private async Task<string> CutStreamAsync(int i)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("auto", $"cut {i}", ",\"stream\":true")) };
        request.Headers.Add("x-simulator-fault", "cut-after=2");
        using var response = await _harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = await ReadDataLinesAsync(reader, stopAfter: int.MaxValue, CancellationToken.None);
        return lines.Count == 3 && lines[^1].StartsWith("{\"error\"", StringComparison.Ordinal) ? "ok" : $"cut {i}: {string.Join(" | ", lines)}";
    }

    // The client reads the first event; the next is a minute away, and the client gives up waiting for it.
    private async Task<string> AbandonedStreamAsync(int i)
    {
        using var cts = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("auto", $"abandon {i}", ",\"stream\":true")) };
        request.Headers.Add("x-simulator-fault", "drip=60000");
        using var response = await _harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await ReadDataLinesAsync(reader, stopAfter: 1, CancellationToken.None);
        var pending = ReadDataLinesAsync(reader, stopAfter: 1, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        return first.Count == 1 && !first[0].StartsWith("{\"error\"", StringComparison.Ordinal) ? "ok" : $"abandon {i}: {string.Join(" | ", first)}";
    }

    private async Task<string> BadBodyAsync(int i)
    {
        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body("{\"model\":\"auto\",\"messages\":" + i + "}"));
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.BadRequest && body.Contains("\"invalid_request_error\"") ? "ok" : $"bad body {i}: {(int)response.StatusCode} {body}";
    }

    private static async Task<List<string>> ReadDataLinesAsync(StreamReader reader, int stopAfter, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        try
        {
            while (lines.Count < stopAfter && await SseEvents.ReadNextAsync(reader, cancellationToken) is { } data)
            {
                lines.Add(data);
                if (data.StartsWith("{\"error\"", StringComparison.Ordinal)) break; // the gateway cuts the connection after it
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // Cut before the error event arrived: the lines so far say so in the request's outcome.
        }

        return lines;
    }
}
