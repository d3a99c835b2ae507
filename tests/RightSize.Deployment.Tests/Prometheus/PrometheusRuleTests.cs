using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Prometheus;

/// <summary>
/// deploy/k8s/overlays/standalone/prometheusrule.yaml: an alert for a rejected configuration (running
/// replicas stay Ready on the old one while every new replica crash-loops), and every rule's metrics
/// and labels checked against what the published gateway really exports.
/// </summary>
public sealed partial class PrometheusRuleTests(PublishedGateway published)
{
    [Fact]
    public async Task PrometheusRule_Optional_AnOperatorRuleWhoseAlertsSaySeverityAndWhatToDo()
    {
        var objects = await Kustomize.RenderAsync("standalone");
        var rule = Rule();

        // Optional, like the PodMonitor: the kind exists only where the Prometheus Operator's CRDs are installed.
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "PrometheusRule");
        Assert.Equal("monitoring.coreos.com/v1", (string?)rule["apiVersion"]);
        Assert.Equal("PrometheusRule", (string?)rule["kind"]);
        var alerts = Alerts(rule);
        Assert.NotEmpty(alerts);
        Assert.Equal(alerts.Count, alerts.Select(a => (string)a["alert"]!).Distinct(StringComparer.Ordinal).Count());
        foreach (var alert in alerts)
        {
            var name = (string)alert["alert"]!;
            Assert.Contains((string?)alert["labels"]?["severity"], new[] { "critical", "warning", "info" });
            Assert.False(string.IsNullOrWhiteSpace((string?)alert["annotations"]?["summary"]), $"{name}: no summary");
            Assert.False(string.IsNullOrWhiteSpace((string?)alert["annotations"]?["description"]), $"{name}: no description");
            Assert.Matches(Duration(), (string)alert["for"]!);
        }
    }

    [Fact]
    public void PrometheusRule_RejectedConfiguration_AlertsAfterTwoMinutesPerPod()
    {
        var alert = Assert.Single(Alerts(Rule()), a => ((string)a["expr"]!).Contains("rightsize_config_rejected", StringComparison.Ordinal));

        Assert.Equal("2m", (string?)alert["for"]);
        Assert.Contains("== 1", (string)alert["expr"]!, StringComparison.Ordinal);
        Assert.Contains("pod", ByLabels((string)alert["expr"]!));
    }

    [Fact]
    public async Task PrometheusRule_QueriesAgainstScrapedMetrics_EveryMetricExportedAndEveryLabelCarried()
    {
        var scrape = await MetricsScrape.AfterTrafficAsync(published);

        foreach (var alert in Alerts(Rule()))
        {
            var name = (string)alert["alert"]!;
            var expression = (string)alert["expr"]!;
            var metrics = MetricNames(expression);
            Assert.NotEmpty(metrics);
            var carried = new HashSet<string>(MetricsScrape.TargetLabels, StringComparer.Ordinal);
            foreach (var metric in metrics)
            {
                Assert.True(scrape.TryGetValue(metric, out var series), $"{name} queries {metric}, which the gateway does not export");
                carried.UnionWith(series.SelectMany(s => s));
            }

            foreach (Match selector in Selector().Matches(expression))
            {
                foreach (Match matcher in MetricsScrape.Matcher().Matches(selector.Groups["matchers"].Value))
                {
                    Assert.True(carried.Contains(matcher.Groups["label"].Value), $"{name} filters on {matcher.Groups["label"].Value}, which its metrics do not carry");
                }
            }

            var kept = ByLabels(expression);
            Assert.All(kept, label => Assert.True(carried.Contains(label), $"{name} groups by {label}, which its metrics do not carry"));

            // An annotation can only name labels the aggregation kept: any other is empty in the alert.
            foreach (var annotation in alert["annotations"]!.AsObject())
            {
                foreach (Match used in LabelTemplate().Matches(annotation.Value!.ToString()))
                {
                    Assert.True(kept.Contains(used.Groups["label"].Value), $"{name}'s {annotation.Key} uses $labels.{used.Groups["label"].Value}, which its expression drops");
                }
            }
        }
    }

    private static JsonNode Rule() =>
        Assert.Single(MiniYaml.ParseDocuments(File.ReadAllText(Repository.PathOf("deploy", "k8s", "overlays", "standalone", "prometheusrule.yaml"))));

    private static List<JsonNode> Alerts(JsonNode rule) =>
        [.. rule["spec"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).Select(r => r!).Where(r => r["alert"] is not null)];

    /// <summary>The metrics an expression reads: its names once label matchers and grouping lists are taken out.</summary>
    private static HashSet<string> MetricNames(string expression)
    {
        var bare = GroupBy().Replace(Braces().Replace(expression, string.Empty), string.Empty);
        return [.. OwnName().Matches(bare).Select(m => m.Value)];
    }

    /// <summary>The labels every aggregation of the expression keeps (the intersection of its <c>by</c> lists); none without one.</summary>
    private static HashSet<string> ByLabels(string expression)
    {
        HashSet<string>? kept = null;
        foreach (Match grouping in GroupBy().Matches(expression))
        {
            var labels = grouping.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            if (kept is null) kept = labels;
            else kept.IntersectWith(labels);
        }

        return kept ?? [];
    }

    [GeneratedRegex(@"(?<metric>\b(?:rightsize|gen_ai)_[a-z0-9_]+)\{(?<matchers>[^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\bby\s*\((?<labels>[^)]*)\)")]
    private static partial Regex GroupBy();

    [GeneratedRegex(@"\b(?:rightsize|gen_ai)_[a-z0-9_]+\b")]
    private static partial Regex OwnName();

    [GeneratedRegex(@"\$labels\.(?<label>[a-zA-Z_][a-zA-Z0-9_]*)")]
    private static partial Regex LabelTemplate();

    [GeneratedRegex(@"^[0-9]+[smh]$")]
    private static partial Regex Duration();
}
