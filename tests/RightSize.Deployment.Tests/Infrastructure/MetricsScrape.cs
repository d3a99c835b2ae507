using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// The published gateway's <c>/metrics</c> after traffic that makes the series the dashboard and the
/// alert rules query: a served request, one every tier failed, and a stream cut upstream (its usage
/// unknown). Each metric maps to the label names of each of its series.
/// </summary>
public static partial class MetricsScrape
{
    /// <summary>
    /// Labels Prometheus adds to every scraped series from its target (the annotation-based
    /// <c>kubernetes-pods</c> job and the Prometheus Operator's PodMonitor both set these), which
    /// the gateway's own exposition does not carry.
    /// </summary>
    public static readonly IReadOnlySet<string> TargetLabels = new HashSet<string>(StringComparer.Ordinal) { "job", "instance", "namespace", "pod" };

    /// <summary>Prometheus' Accept header with <c>--enable-feature=created-timestamp-zero-ingestion</c> (protobuf first, then OpenMetrics).</summary>
    public const string PrometheusProtoFirstAccept =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1";

    public static async Task<Dictionary<string, List<HashSet<string>>>> AfterTrafficAsync(PublishedGateway published)
    {
        await using var run = await ContainerRun.StartAsync(published);
        var gateway = run.Gateway;
        await SendTrafficAsync(gateway);
        return Parse(await gateway.Http.GetStringAsync(new Uri(gateway.BaseAddress, "metrics")));
    }

    /// <summary>A served request, one every tier failed, and a stream cut after its first events.</summary>
    public static async Task SendTrafficAsync(GatewayProcess gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var chat = new Uri(gateway.BaseAddress, "v1/chat/completions");
        using (var served = await gateway.Http.PostAsync(chat, Chat(stream: false)))
        {
            Assert.True(served.StatusCode == HttpStatusCode.OK, await served.Content.ReadAsStringAsync());
        }

        using (var failing = new HttpRequestMessage(HttpMethod.Post, chat) { Content = Chat(stream: false) })
        {
            failing.Headers.Add("x-simulator-fault", "status=503"); // passed on to every tier's upstream
            using var failed = await gateway.Http.SendAsync(failing);
            Assert.True((int)failed.StatusCode >= 500, $"expected every tier to fail, got {failed.StatusCode}");
        }

        using (var cut = new HttpRequestMessage(HttpMethod.Post, chat) { Content = Chat(stream: true) })
        {
            cut.Headers.Add("x-simulator-fault", "cut-after=2"); // the stream breaks: its usage is never read
            using var answer = await gateway.Http.SendAsync(cut, HttpCompletionOption.ResponseHeadersRead);
            try
            {
                _ = await answer.Content.ReadAsStringAsync();
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                // The gateway ends a stream cut upstream with an error event, then cuts the connection.
            }
        }

        // The cut stream's client can see the cut before the gateway's handler has recorded it
        // (the connection is aborted first): wait until the stats, recorded after the metrics,
        // count all three requests.
        var waited = Stopwatch.StartNew();
        long completed;
        while ((completed = await CompletedRequestsAsync(gateway)) < 3 && waited.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(50);
        Assert.Equal(3, completed);
    }

    private static async Task<long> CompletedRequestsAsync(GatewayProcess gateway)
    {
        using var stats = JsonDocument.Parse(await gateway.Http.GetStringAsync(new Uri(gateway.BaseAddress, "rightsize/stats")));
        return stats.RootElement.GetProperty("total").GetProperty("requests").GetInt64();
    }

    /// <summary>The gateway's own series (<c>rightsize_*</c>, <c>gen_ai_*</c>): each metric's label sets.</summary>
    public static Dictionary<string, List<HashSet<string>>> Parse(string text)
    {
        var scrape = new Dictionary<string, List<HashSet<string>>>(StringComparer.Ordinal);
        foreach (Match line in Series().Matches(text))
        {
            var labels = Matcher().Matches(line.Groups["labels"].Value).Select(m => m.Groups["label"].Value).ToHashSet(StringComparer.Ordinal);
            var name = line.Groups["metric"].Value;
            if (!scrape.TryGetValue(name, out var list)) scrape[name] = list = [];
            list.Add(labels);
        }

        return scrape;
    }

    private static StringContent Chat(bool stream) =>
        new($$"""{"model":"auto","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Summarise the plot of Hamlet in one line."}]}""", Encoding.UTF8, "application/json");

    /// <summary>A label matcher in a selector or a series: <c>name="</c>, <c>name=~"</c>, <c>name!="</c>, <c>name!~"</c>.</summary>
    [GeneratedRegex(@"(?<label>[a-z_][a-z0-9_]*)\s*(?:=~|!~|!=|=)\s*""")]
    public static partial Regex Matcher();

    [GeneratedRegex(@"^(?<metric>(?:rightsize|gen_ai)_[a-z0-9_]+)(?:\{(?<labels>[^}]*)\})? ", RegexOptions.Multiline)]
    private static partial Regex Series();
}
