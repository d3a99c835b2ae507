using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>
/// The dashboard in real headless Chromium (Debian's <c>chromium</c>, driven by Playwright with
/// its executable path; no browser is downloaded), after traffic through the gateway: the charts
/// draw what <c>GET /rightsize/stats</c> says.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    [Fact]
    public async Task Dashboard_AfterTraffic_ChartsRenderTheStats()
    {
        if (!File.Exists(Chromium))
        {
            Assert.False(IsCi(), $"{Chromium} is missing: CI must install Debian's chromium package.");
            Assert.Skip($"{Chromium} is not installed (apt-get install chromium).");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var gateway = await TelemetryGateway.StartAsync(upstream: options =>
        {
            if (options.Models.Contains("sim-small")) options.Faults["sim-small"] = FaultScript.Parse("status=503;times=1");
        });
        await SendTrafficAsync(gateway);
        var stats = await gateway.WaitForStatsAsync(8);
        var total = stats.GetProperty("total");
        Assert.Equal(8, total.GetProperty("requests").GetInt64());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        page.PageError += (_, error) => consoleErrors.Add(error);

        await page.GotoAsync(new Uri(gateway.BaseAddress, "rightsize/dashboard").ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.polls || 0) >= 2", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "dashboard.png"), FullPage = true });
        Assert.Empty(consoleErrors);

        // Freeze the page: further polls fail (the page keeps its last render), so elements are not replaced while measured.
        await page.RouteAsync("**/rightsize/stats", route => route.AbortAsync());
        await page.WaitForFunctionAsync("() => document.getElementById('error').style.display === 'block'", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.Equal(total.GetProperty("requests").GetInt64().ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#kpi-requests", "data-value"));
        Assert.Equal(total.GetProperty("savings").GetDecimal(), decimal.Parse((await page.GetAttributeAsync("#kpi-savings", "data-value"))!, NumberStyles.Float, CultureInfo.InvariantCulture));
        Assert.Equal("8", await page.TextContentAsync("#tier-total"));

        // Tier mix: one slice per tier served, sized by its count, and the counts add up.
        var tiers = total.GetProperty("tiers").EnumerateObject().Where(t => t.Value.GetInt64() > 0).ToDictionary(t => t.Name, t => t.Value.GetInt64());
        var slices = await page.QuerySelectorAllAsync("#tier-mix path.tier-slice");
        Assert.Equal(tiers.Count, slices.Count);
        foreach (var slice in slices)
        {
            var tier = (await slice.GetAttributeAsync("data-tier"))!;
            Assert.Equal(tiers[tier].ToString(CultureInfo.InvariantCulture), await slice.GetAttributeAsync("data-count"));
            await AssertVisibleAsync(slice, "tier slice " + tier);
        }

        // Cost against the all-frontier baseline: both lines and the savings area are drawn.
        foreach (var selector in new[] { "#cost-chart path.line-cost", "#cost-chart path.line-frontier", "#cost-chart path.area-savings" })
        {
            await AssertVisibleAsync((await page.QuerySelectorAsync(selector))!, selector);
        }

        // Escalations: the 503 of the small tier, as a bar.
        var escalationBars = await page.QuerySelectorAllAsync("#escalations rect.bar");
        Assert.Equal(total.GetProperty("escalations").EnumerateObject().Count(), escalationBars.Count);
        Assert.NotEmpty(escalationBars);
        foreach (var bar in escalationBars) await AssertVisibleAsync(bar, "escalation bar");

        // Latency: request p50/p90/p99 and first-chunk p50/p90/p99 (there was a stream).
        var latencyBars = await page.QuerySelectorAllAsync("#latency rect.bar");
        Assert.Equal(6, latencyBars.Count);
        var p99 = double.Parse((await latencyBars[2].GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        Assert.Equal(total.GetProperty("latencyMs").GetProperty("p99").GetDouble(), p99, 3);

        var rows = await page.QuerySelectorAllAsync("#routes tbody tr");
        Assert.Equal(stats.GetProperty("routes").GetArrayLength(), rows.Count);
    }

    [Fact]
    public async Task Dashboard_RouteNameWithMarkup_ShownAsTextNotParsed()
    {
        const string Route = "<b>\"tricky&amp;";
        SkipWithoutChromium();
        await using var gateway = await TelemetryGateway.StartAsync(settings => settings[$"RightSize:Routes:{Route}:DefaultTier"] = "small");
        var body = $$"""{"model":{{JsonSerializer.Serialize(Route)}},"messages":[{"role":"user","content":"hello"}]}""";
        using (var response = await gateway.Http.PostAsync("v1/chat/completions", Infrastructure.Json.Body(body))) response.EnsureSuccessStatusCode();
        await gateway.WaitForStatsAsync(1);

        await using var dashboard = await OpenDashboardAsync(gateway, "rightsize/dashboard");

        Assert.Empty(dashboard.ConsoleErrors);
        Assert.Equal(Route, await dashboard.Page.TextContentAsync("#routes tbody tr td:first-child"));
        Assert.Empty(await dashboard.Page.QuerySelectorAllAsync("#routes b"));
    }

    [Fact]
    public async Task Dashboard_NoTrafficYet_CostAxisInWholeCurrencyUnits()
    {
        SkipWithoutChromium();
        await using var gateway = await TelemetryGateway.StartAsync();

        await using var dashboard = await OpenDashboardAsync(gateway, "rightsize/dashboard");

        Assert.Empty(dashboard.ConsoleErrors);
        var labels = await dashboard.Page.EvalOnSelectorAllAsync<string[]>("#cost-chart text", "ts => ts.map(t => t.textContent)");
        Assert.Contains("$1.00", labels);
        Assert.DoesNotContain(labels, l => l.Contains("0.0000000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_OpenedWithATrailingSlash_StillReadsTheStats()
    {
        SkipWithoutChromium();
        await using var gateway = await TelemetryGateway.StartAsync();
        (await gateway.ChatAsync("cheap", "hello")).Response.EnsureSuccessStatusCode();
        await gateway.WaitForStatsAsync(1);

        await using var dashboard = await OpenDashboardAsync(gateway, "rightsize/dashboard/");

        Assert.Empty(dashboard.ConsoleErrors);
        Assert.Equal("none", await dashboard.Page.EvalOnSelectorAsync<string>("#error", "e => e.style.display || 'none'"));
        Assert.Equal("1", await dashboard.Page.GetAttributeAsync("#kpi-requests", "data-value"));
    }

    [Fact]
    public async Task Dashboard_EmbeddingsBesideChat_ShareOffTheFrontierCountsTieredRequestsOnly()
    {
        SkipWithoutChromium();
        await using var gateway = await TelemetryGateway.StartAsync();
        (await gateway.ChatAsync("cheap", "hello")).Response.EnsureSuccessStatusCode(); // small
        using (var embeddings = await gateway.Http.PostAsync("routes/cheap/v1/embeddings", Infrastructure.Json.Body("""{"model":"sim-frontier","input":"hi"}""")))
        {
            embeddings.EnsureSuccessStatusCode(); // tier none: no tier was chosen, the frontier was never a candidate
        }

        await gateway.WaitForStatsAsync(2);

        await using var dashboard = await OpenDashboardAsync(gateway, "rightsize/dashboard");

        Assert.Empty(dashboard.ConsoleErrors);
        Assert.Equal("100% kept off the frontier", await dashboard.Page.TextContentAsync("#tier-caption"));
    }

    [Fact]
    public async Task Dashboard_SlowRequestBesideFastOnes_EveryHeadlineFigureShownWhole()
    {
        SkipWithoutChromium();
        await using var gateway = await TelemetryGateway.StartAsync();
        for (var i = 0; i < 3; i++) (await gateway.ChatAsync("cheap", "fast " + i)).Response.EnsureSuccessStatusCode();
        using (var slow = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Infrastructure.Json.Body(Infrastructure.Json.Chat("cheap", "slow")) })
        {
            slow.Headers.Add("x-simulator-fault", "delay=1000"); // a p99 of four digits beside a p50 of a few ms
            (await gateway.Http.SendAsync(slow)).EnsureSuccessStatusCode();
        }

        var latency = (await gateway.WaitForStatsAsync(4)).GetProperty("total").GetProperty("latencyMs");

        await using var dashboard = await OpenDashboardAsync(gateway, "rightsize/dashboard");

        Assert.Empty(dashboard.ConsoleErrors);
        var latencyText = await dashboard.Page.TextContentAsync("#kpi-latency");
        Assert.Contains(latency.GetProperty("p99").GetDouble().ToString("0", CultureInfo.InvariantCulture) + " ms", latencyText, StringComparison.Ordinal);
        var cut = await dashboard.Page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.kpi .value')].filter(v => v.scrollWidth > v.clientWidth).map(v => v.id + ': ' + v.textContent)");
        Assert.Empty(cut); // no figure hidden behind an ellipsis
    }

    [Fact]
    public async Task Dashboard_StatsNeverAnswer_SaysUnavailableInsteadOfLive()
    {
        SkipWithoutChromium();
        await using var gateway = await TelemetryGateway.StartAsync();
        await using var dashboard = await OpenDashboardAsync(gateway, "rightsize/dashboard");
        Assert.Equal("dot", await dashboard.Page.GetAttributeAsync("#dot", "class"));

        // From now on the stats requests hang, as they do when the gateway or a proxy in front of it stalls.
        var held = new TaskCompletionSource();
        await dashboard.Page.RouteAsync("**/rightsize/stats", async route =>
        {
            await held.Task;
            await route.AbortAsync();
        });

        await dashboard.Page.WaitForFunctionAsync("() => document.getElementById('error').style.display === 'block'", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.Equal("dot stale", await dashboard.Page.GetAttributeAsync("#dot", "class"));
        Assert.Equal("stats unavailable", await dashboard.Page.TextContentAsync("#updated"));
        Assert.Contains("no answer within 5 s", await dashboard.Page.TextContentAsync("#error"), StringComparison.Ordinal);
        held.SetResult();
    }

    [Fact]
    public async Task Dashboard_GatewayRestarted_CumulativeChartStartsAfresh()
    {
        SkipWithoutChromium();
        await using var gateway = await TelemetryGateway.StartAsync();
        for (var i = 0; i < 2; i++) (await gateway.ChatAsync("cheap", "before " + i)).Response.EnsureSuccessStatusCode();
        await gateway.WaitForStatsAsync(2);
        await using var dashboard = await OpenDashboardAsync(gateway, "rightsize/dashboard");

        // The next answers come from a process that started later and has served nothing yet.
        var started = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture);
        await dashboard.Page.RouteAsync("**/rightsize/stats", async route =>
        {
            var response = await route.FetchAsync();
            var stats = System.Text.Json.Nodes.JsonNode.Parse(await response.TextAsync())!;
            stats["startedAt"] = started;
            foreach (var scope in new[] { "total", "window" })
            {
                stats[scope]!["cost"] = 0;
                stats[scope]!["frontierCost"] = 0;
            }

            stats["timeline"] = new System.Text.Json.Nodes.JsonArray();
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = stats.ToJsonString() });
        });
        var polls = int.Parse((await dashboard.Page.GetAttributeAsync("body", "data-polls"))!, CultureInfo.InvariantCulture);
        await dashboard.Page.WaitForFunctionAsync($"() => Number(document.body.dataset.polls) >= {polls + 2}", null, new PageWaitForFunctionOptions { Timeout = 20_000 });

        // The x axis begins at the new process's first poll, not at the old process's start.
        var axisStart = await dashboard.Page.EvalOnSelectorAllAsync<string[]>("#cost-chart text", "ts => ts.map(t => t.textContent)");
        var first = DateTimeOffset.Parse(started, CultureInfo.InvariantCulture).ToLocalTime();
        Assert.Contains(axisStart, label => TimeOnly.TryParse(label, CultureInfo.InvariantCulture, out var t) && t >= TimeOnly.FromDateTime(first.DateTime));
        Assert.DoesNotContain(axisStart, label => TimeOnly.TryParse(label, CultureInfo.InvariantCulture, out var t) && t < TimeOnly.FromDateTime(first.DateTime));
    }

    private static void SkipWithoutChromium()
    {
        if (File.Exists(Chromium)) return;
        Assert.False(IsCi(), $"{Chromium} is missing: CI must install Debian's chromium package.");
        Assert.Skip($"{Chromium} is not installed (apt-get install chromium).");
    }

    /// <summary>Opens the dashboard at <paramref name="path"/> and waits for its first answered poll (or the error banner).</summary>
    private static async Task<OpenDashboard> OpenDashboardAsync(TelemetryGateway gateway, string path)
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ChromiumArgs, Timeout = 60_000 });
        var page = await browser.NewPageAsync();
        var dashboard = new OpenDashboard(playwright, browser, page);
        page.Console += (_, message) => { if (message.Type == "error") dashboard.ConsoleErrors.Add(message.Text); };
        page.PageError += (_, error) => dashboard.ConsoleErrors.Add(error);
        await page.GotoAsync(new Uri(gateway.BaseAddress, path).ToString());
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.polls || 0) >= 1 || document.getElementById('error').style.display === 'block'", null, new PageWaitForFunctionOptions { Timeout = 20_000 });
        return dashboard;
    }

    private sealed record OpenDashboard(IPlaywright Playwright, IBrowser Browser, IPage Page) : IAsyncDisposable
    {
        public List<string> ConsoleErrors { get; } = [];

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            Playwright.Dispose();
        }
    }

    private static async Task SendTrafficAsync(TelemetryGateway gateway)
    {
        // cheap → small (the first one escalates past a 503), auto → mid, forced frontier, one stream.
        for (var i = 0; i < 4; i++) (await gateway.ChatAsync("cheap", "short question " + i)).Response.EnsureSuccessStatusCode();
        for (var i = 0; i < 2; i++) (await gateway.ChatAsync("auto", "a medium question " + i + " " + new string('y', 300))).Response.EnsureSuccessStatusCode();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Infrastructure.Json.Body(Infrastructure.Json.Chat("auto", "hard question " + new string('z', 800))) })
        {
            request.Headers.Add("x-rightsize-tier", "frontier");
            using var response = await gateway.Http.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        (await gateway.ChatAsync("auto", "stream it", ""","stream":true""")).Response.EnsureSuccessStatusCode();
    }

    private static async Task AssertVisibleAsync(IElementHandle element, string what)
    {
        Assert.NotNull(element);
        var box = await element.BoundingBoxAsync();
        Assert.True(box is { Width: > 0, Height: > 0 }, $"{what} has no size: {JsonSerializer.Serialize(box)}");
    }

    private static bool IsCi() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
}
