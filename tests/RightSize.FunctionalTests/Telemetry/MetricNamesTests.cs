using System.Text.Json;
using System.Text.RegularExpressions;
using RightSize.FunctionalTests.Resilience;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>
/// The metric names as Prometheus scrapes them, after traffic that records every RightSize
/// instrument, against <c>docs/telemetry.md</c> (nothing undocumented) and the Grafana dashboard
/// (no query on a series that does not exist).
/// </summary>
public sealed partial class MetricNamesTests
{
    [Fact]
    public async Task Metrics_AfterTrafficOfEveryKind_EveryFamilyDocumentedAndEveryGrafanaQueryOnAScrapedSeries()
    {
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["RightSize:Classifier:ModelPath"] = "models/default",
            upstream: options =>
            {
                if (options.Models.Contains("sim-small")) options.Faults["sim-small"] = FaultScript.Parse("status=503;times=1");
            });
        (await gateway.ChatAsync("locked", "small, then past its 503")).Response.EnsureSuccessStatusCode();
        (await gateway.ChatAsync("auto", "classified and streamed", ""","stream":true""")).Response.EnsureSuccessStatusCode();
        using (await gateway.Http.PostAsync("routes/cheap/v1/embeddings", Infrastructure.Json.Body("""{"model":"unknown-embedder","input":"answered 404, without usage"}"""))) { }
        using (var cut = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Infrastructure.Json.Body(Infrastructure.Json.Chat("locked", "cut after its first events: usage unknown", ""","stream":true""")) })
        {
            cut.Headers.Add("x-simulator-fault", "cut-after=2");
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

        await gateway.WaitForStatsAsync(4);

        using var response = await gateway.Http.GetAsync("metrics");
        var scrape = await response.Content.ReadAsStringAsync();
        response.EnsureSuccessStatusCode();
        var docs = await File.ReadAllTextAsync(PathInRepository("docs", "telemetry.md"));
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(PathInRepository("deploy", "grafana", "rightsize-dashboard.json")));

        var families = OwnFamily().Matches(scrape).Select(m => m.Groups["name"].Value).ToList();
        Assert.Contains("rightsize_escalations_total", families);
        Assert.Contains("rightsize_classifier_duration_seconds", families);
        Assert.Contains("rightsize_usage_missing_total", families);
        Assert.Contains("rightsize_config_generation", families);
        Assert.All(families, family => Assert.True(docs.Contains(family, StringComparison.Ordinal), $"{family} is exported but not in docs/telemetry.md"));

        var series = OwnSeries().Matches(scrape).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        var queried = Expressions(dashboard.RootElement).SelectMany(e => OwnName().Matches(e).Select(m => m.Value)).Distinct().ToList();
        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.True(series.Contains(name), $"the Grafana dashboard queries {name}, which /metrics does not export"));
    }

    [Fact]
    public async Task Metrics_WhileABodyIsRouted_BudgetUsedShowsIt_AndZeroAfter()
    {
        // What fills Gateway:MaxBufferedRequestBytes (and so gives 503 gateway_busy) must be visible.
        await using var gateway = await TelemetryGateway.StartAsync();
        gateway.Upstreams.Small.Fail("delay=1500");
        var body = Infrastructure.Json.Chat("cheap", new string('a', 50_000));

        var routed = gateway.Http.PostAsync("v1/chat/completions", Infrastructure.Json.Body(body));
        while (gateway.Upstreams.Small.Journal.TotalReceived == 0) await Task.Delay(20);
        var during = await BudgetUsedAsync(gateway, "request_bodies");
        (await routed).EnsureSuccessStatusCode();
        var after = -1L;
        for (var i = 0; i < 50 && after != 0; i++)
        {
            if (i > 0) await Task.Delay(20); // the lease goes back as the handler ends, a moment after the answer
            after = await BudgetUsedAsync(gateway, "request_bodies");
        }

        Assert.InRange(during, System.Text.Encoding.UTF8.GetByteCount(body), long.MaxValue);
        Assert.Equal(0, after);
        Assert.Equal(0, await BudgetUsedAsync(gateway, "held_answers"));
    }

    private static async Task<long> BudgetUsedAsync(TelemetryGateway gateway, string budget)
    {
        using var response = await gateway.Http.GetAsync("metrics");
        var scrape = await response.Content.ReadAsStringAsync();
        var line = scrape.Split('\n').Single(l => l.StartsWith("rightsize_budget_used_bytes{", StringComparison.Ordinal) && l.Contains($"rightsize_budget=\"{budget}\"", StringComparison.Ordinal));
        return long.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Metrics_BeforeAnyRequest_CostSeriesOfEveryRouteAndTierAtZero()
    {
        // increase() cannot see a counter series' first value: the dashboard's spend panels would
        // miss each route's and tier's first request on every pod, unless the series start at 0.
        await using var gateway = await TelemetryGateway.StartAsync();

        using var response = await gateway.Http.GetAsync("metrics");
        var scrape = await response.Content.ReadAsStringAsync();
        response.EnsureSuccessStatusCode();

        foreach (var family in new[] { "rightsize_cost_total", "rightsize_frontier_equivalent_cost_total", "rightsize_savings_total" })
        {
            foreach (var (route, tier) in new[] { ("auto", "small"), ("auto", "frontier"), ("cheap", "mid") })
            {
                var line = scrape.Split('\n').SingleOrDefault(l => l.StartsWith(family + "{", StringComparison.Ordinal)
                    && l.Contains($"rightsize_route=\"{route}\"", StringComparison.Ordinal) && l.Contains($"rightsize_tier=\"{tier}\"", StringComparison.Ordinal));
                Assert.True(line is not null, $"{family} has no series for route {route}, tier {tier}:\n{scrape}");
                Assert.Equal("0", line.Split(' ')[1]);
            }
        }

        // Route support stops at mid: its frontier series would never move.
        Assert.DoesNotContain(scrape.Split('\n'), l => l.StartsWith("rightsize_cost_total{", StringComparison.Ordinal)
            && l.Contains("rightsize_route=\"support\"", StringComparison.Ordinal) && l.Contains("rightsize_tier=\"frontier\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_ReloadAddsARoute_ItsCostSeriesStartAtZero()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        var configuration = (Microsoft.Extensions.Configuration.IConfigurationRoot)gateway.Gateway.App.Configuration;

        configuration["RightSize:Routes:late:Tier"] = "mid";
        configuration.Reload();

        using var response = await gateway.Http.GetAsync("metrics");
        var scrape = await response.Content.ReadAsStringAsync();
        Assert.Contains(scrape.Split('\n'), l => l.StartsWith("rightsize_cost_total{", StringComparison.Ordinal)
            && l.Contains("rightsize_route=\"late\"", StringComparison.Ordinal) && l.Contains("rightsize_tier=\"mid\"", StringComparison.Ordinal) && l.EndsWith(" 0", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Expressions(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String && property.Name is "expr" or "query" or "definition") yield return property.Value.GetString()!;
                foreach (var inner in Expressions(property.Value)) yield return inner;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in Expressions(item)) yield return inner;
            }
        }
    }

    private static string PathInRepository(params string[] parts)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RightSize.sln"))) return Path.Combine([directory.FullName, .. parts]);
        }

        throw new InvalidOperationException($"No RightSize.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^# TYPE (?<name>(?:rightsize|gen_ai)_[a-z0-9_]+) ", RegexOptions.Multiline)]
    private static partial Regex OwnFamily();

    [GeneratedRegex(@"^(?<name>(?:rightsize|gen_ai)_[a-z0-9_]+)[{ ]", RegexOptions.Multiline)]
    private static partial Regex OwnSeries();

    // A metric in a query (a selector or label_values' first argument), not a label such as rightsize_route.
    [GeneratedRegex(@"\b(?:rightsize|gen_ai)_[a-z0-9_]+(?=[{\[])|(?<=label_values\()(?:rightsize|gen_ai)_[a-z0-9_]+")]
    private static partial Regex OwnName();
}
