using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Grafana;

/// <summary>
/// deploy/grafana/rightsize-dashboard.json against the labels the published gateway really exports:
/// after a routed request and one every tier failed, every selector's labels exist on its metric,
/// every metric that carries a route is filtered by the <c>$route</c> variable, and the tier mix
/// leaves out the requests no tier served.
/// </summary>
public sealed partial class DashboardQueryTests(PublishedGateway published)
{
    private const string RouteFilter = "rightsize_route=~\"$route\"";

    [Fact]
    public async Task Dashboard_QueriesAgainstScrapedLabels_EveryRouteLabelledMetricFilteredByRoute()
    {
        var scrape = await ScrapeAfterTrafficAsync();
        Assert.Contains(scrape["rightsize_decisions_total"], labels => !labels.Contains("rightsize_tier")); // the request every tier failed

        var checkedMetrics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (title, expression) in Expressions())
        {
            foreach (Match selector in Selector().Matches(expression))
            {
                var metric = selector.Groups["metric"].Value;
                if (!scrape.TryGetValue(metric, out var series)) continue; // series this traffic does not make; MetricNamesTests covers their names
                checkedMetrics.Add(metric);
                var known = series.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
                foreach (Match matcher in Matcher().Matches(selector.Groups["matchers"].Value))
                {
                    Assert.True(known.Contains(matcher.Groups["label"].Value), $"\"{title}\" filters {metric} on {matcher.Groups["label"].Value}, which it does not carry");
                }

                if (known.Contains("rightsize_route")) Assert.True(selector.Value.Contains(RouteFilter, StringComparison.Ordinal), $"\"{title}\" ignores the route variable: {selector.Value}");
            }

            foreach (Match grouping in GroupBy().Matches(expression))
            {
                foreach (var label in grouping.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.True(label == "le" || Selector().Matches(expression).Any(s => scrape.TryGetValue(s.Groups["metric"].Value, out var series) && series.Any(l => l.Contains(label))), $"\"{title}\" groups by {label}, which none of its metrics carries");
                }
            }
        }

        Assert.Contains("rightsize_decisions_total", checkedMetrics);
        Assert.Contains("rightsize_attempts_total", checkedMetrics);
    }

    [Fact]
    public void Dashboard_DecisionPanels_SayRoutedAndTheTierMixLeavesOutRequestsNoTierServed()
    {
        var panels = Expressions().Where(e => e.Expression.Contains("rightsize_decisions_total", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(panels);

        // rightsize_decisions_total skips pass-through and embeddings requests: a panel must not call it all requests.
        Assert.All(panels.Where(p => p.Title.Contains("equests", StringComparison.Ordinal)), p => Assert.Contains("Routed requests", p.Title, StringComparison.Ordinal));
        var mix = Assert.Single(panels, p => p.Title.StartsWith("Tier mix", StringComparison.Ordinal));
        Assert.Contains("rightsize_tier!=\"\"", mix.Expression, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, List<HashSet<string>>>> ScrapeAfterTrafficAsync()
    {
        await using var run = await ContainerRun.StartAsync(published);
        var gateway = run.Gateway;
        using (var served = await gateway.Http.PostAsync(new Uri(gateway.BaseAddress, "v1/chat/completions"), Chat()))
        {
            Assert.True(served.StatusCode == HttpStatusCode.OK, await served.Content.ReadAsStringAsync());
        }

        using (var failing = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseAddress, "v1/chat/completions")) { Content = Chat() })
        {
            failing.Headers.Add("x-simulator-fault", "status=503"); // passed on to every tier's upstream
            using var failed = await gateway.Http.SendAsync(failing);
            Assert.True((int)failed.StatusCode >= 500, $"expected every tier to fail, got {failed.StatusCode}");
        }

        var text = await gateway.Http.GetStringAsync(new Uri(gateway.BaseAddress, "metrics"));
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

    private static List<(string Title, string Expression)> Expressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("deploy", "grafana", "rightsize-dashboard.json")));
        var result = new List<(string Title, string Expression)>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (!panel.TryGetProperty("targets", out var targets)) continue;
            foreach (var target in targets.EnumerateArray()) result.Add((panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!));
        }

        return result;
    }

    private static StringContent Chat() =>
        new("""{"model":"auto","messages":[{"role":"user","content":"Summarise the plot of Hamlet in one line."}]}""", Encoding.UTF8, "application/json");

    [GeneratedRegex(@"(?<metric>\b(?:rightsize|gen_ai)_[a-z0-9_]+)\{(?<matchers>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"(?<label>[a-z_][a-z0-9_]*)\s*(?:=~|!~|!=|=)\s*""")]
    private static partial Regex Matcher();

    [GeneratedRegex(@"\bby\s*\((?<labels>[^)]*)\)")]
    private static partial Regex GroupBy();

    [GeneratedRegex(@"^(?<metric>(?:rightsize|gen_ai)_[a-z0-9_]+)(?:\{(?<labels>[^}]*)\})? ", RegexOptions.Multiline)]
    private static partial Regex Series();
}
