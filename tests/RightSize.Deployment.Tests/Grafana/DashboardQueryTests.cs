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
    private const string NamespaceFilter = "namespace=~\"$namespace\"";
    private const string JobFilter = "job=~\"$job\"";

    [Fact]
    public async Task Dashboard_QueriesAgainstScrapedLabels_EveryRouteLabelledMetricFilteredByRoute()
    {
        var scrape = await MetricsScrape.AfterTrafficAsync(published);
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
                foreach (Match matcher in MetricsScrape.Matcher().Matches(selector.Groups["matchers"].Value))
                {
                    var label = matcher.Groups["label"].Value;
                    Assert.True(known.Contains(label) || MetricsScrape.TargetLabels.Contains(label), $"\"{title}\" filters {metric} on {label}, which it does not carry");
                }

                // Without these, the gateways of every namespace (and every scrape job) are added together.
                Assert.True(selector.Value.Contains(NamespaceFilter, StringComparison.Ordinal) && selector.Value.Contains(JobFilter, StringComparison.Ordinal), $"\"{title}\" ignores the namespace or job variable: {selector.Value}");
                if (known.Contains("rightsize_route")) Assert.True(selector.Value.Contains(RouteFilter, StringComparison.Ordinal), $"\"{title}\" ignores the route variable: {selector.Value}");
            }

            foreach (Match grouping in GroupBy().Matches(expression))
            {
                foreach (var label in grouping.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.True(label == "le" || MetricsScrape.TargetLabels.Contains(label) || Selector().Matches(expression).Any(s => scrape.TryGetValue(s.Groups["metric"].Value, out var series) && series.Any(l => l.Contains(label))), $"\"{title}\" groups by {label}, which none of its metrics carries");
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

    [Fact]
    public void Dashboard_HealthPanels_ShowReplicasOnARejectedConfigurationInRedAndTheGeneration()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("deploy", "grafana", "rightsize-dashboard.json")));
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();

        // A rejected ConfigMap edit leaves running replicas Ready on the old configuration while every new one crash-loops.
        var rejected = Assert.Single(panels, p => Targets(p).Any(e => e.Contains("rightsize_config_rejected{", StringComparison.Ordinal)));
        Assert.Equal("stat", rejected.GetProperty("type").GetString());
        Assert.Equal(0, rejected.GetProperty("gridPos").GetProperty("y").GetInt32()); // the top row, seen first
        var steps = rejected.GetProperty("fieldConfig").GetProperty("defaults").GetProperty("thresholds").GetProperty("steps").EnumerateArray().ToList();
        Assert.Contains(steps, s => s.GetProperty("color").GetString() == "red" && s.GetProperty("value").ValueKind == JsonValueKind.Number && s.GetProperty("value").GetDouble() <= 1);
        Assert.Contains(panels, p => p.GetProperty("type").GetString() == "stat" && Targets(p).Any(e => e.Contains("rightsize_config_generation{", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dashboard_Variables_NamespaceAndJobNarrowTheRouteList()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("deploy", "grafana", "rightsize-dashboard.json")));
        var variables = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, StringComparer.Ordinal);

        Assert.Contains("namespace", variables.Keys);
        Assert.Contains("job", variables.Keys);
        var routes = variables["route"].GetProperty("query").GetProperty("query").GetString()!;
        Assert.Contains(NamespaceFilter, routes, StringComparison.Ordinal);
        Assert.Contains(JobFilter, routes, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Targets(JsonElement panel) =>
        panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString()!) : [];

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

    [GeneratedRegex(@"(?<metric>\b(?:rightsize|gen_ai)_[a-z0-9_]+)\{(?<matchers>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\bby\s*\((?<labels>[^)]*)\)")]
    private static partial Regex GroupBy();
}
