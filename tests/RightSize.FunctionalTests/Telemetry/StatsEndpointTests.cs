using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Resilience;
using RightSize.Server.Telemetry;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary><c>GET /rightsize/stats</c> and <c>GET /rightsize/dashboard</c> over real traffic.</summary>
public sealed partial class StatsEndpointTests
{
    [Fact]
    public async Task Stats_AfterTraffic_CountsTokensAndCostToTheCent()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        var expectedCost = 0m;
        var expectedFrontier = 0m;
        var prompt = 0;
        for (var i = 0; i < 3; i++)
        {
            var (response, body) = await gateway.ChatAsync("cheap", "a fairly long question number " + i + " " + new string('x', 400 * (i + 1)));
            response.EnsureSuccessStatusCode();
            var usage = TelemetryGateway.UsageOf(body);
            prompt += usage.Prompt;
            expectedCost += TelemetryGateway.Cost(usage, TelemetryGateway.SmallPrices);
            expectedFrontier += TelemetryGateway.Cost(usage, TelemetryGateway.FrontierPrices);
        }

        var (midResponse, midBody) = await gateway.ChatAsync("auto", "and one for mid");
        midResponse.EnsureSuccessStatusCode();
        var midUsage = TelemetryGateway.UsageOf(midBody);
        expectedCost += TelemetryGateway.Cost(midUsage, TelemetryGateway.MidPrices);
        expectedFrontier += TelemetryGateway.Cost(midUsage, TelemetryGateway.FrontierPrices);

        var stats = await gateway.WaitForStatsAsync(4);
        var total = stats.GetProperty("total");

        Assert.Equal(4, total.GetProperty("requests").GetInt64());
        Assert.Equal(prompt + midUsage.Prompt, total.GetProperty("tokens").GetProperty("prompt").GetInt64());
        Assert.Equal(expectedCost, total.GetProperty("cost").GetDecimal());
        Assert.Equal(expectedFrontier, total.GetProperty("frontierCost").GetDecimal());
        Assert.Equal(Math.Round(expectedFrontier - expectedCost, 2), Math.Round(total.GetProperty("savings").GetDecimal(), 2));
        Assert.Equal(3, total.GetProperty("tiers").GetProperty("small").GetInt64());
        Assert.Equal(1, total.GetProperty("tiers").GetProperty("mid").GetInt64());
        Assert.Equal(4, stats.GetProperty("window").GetProperty("requests").GetInt64());
        Assert.Equal(4, total.GetProperty("latencyMs").GetProperty("count").GetInt64());
        Assert.Equal("USD", stats.GetProperty("currency").GetString());
        var cheap = stats.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("route").GetString() == "cheap");
        Assert.Equal("small", cheap.GetProperty("tier").GetString());
        Assert.Equal(3, cheap.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.Equal(4, stats.GetProperty("timeline").EnumerateArray().Sum(p => p.GetProperty("requests").GetInt64()));
    }

    [Fact]
    public async Task Stats_LastTierRetriedAfterItsRetryAfter_NoEscalation()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        gateway.Upstreams.Frontier.Fail("status=429;retry-after=1;times=1");
        using var request = Json.ChatForTier("auto", "hi", "frontier");

        using var response = await gateway.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var total = (await gateway.WaitForStatsAsync(1)).GetProperty("total");

        Assert.Equal(2, gateway.Upstreams.Frontier.Journal.TotalReceived); // retried on the same tier...
        Assert.Equal(1, total.GetProperty("tiers").GetProperty("frontier").GetInt64());
        Assert.Empty(total.GetProperty("escalations").EnumerateObject()); // ...which moved the request nowhere
    }

    [Fact]
    public async Task Stats_EveryTierFails_RequestServedByNoTierNotCountedAsFrontier()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        using var decisions = new MetricCollector<long>(gateway.Services.GetRequiredService<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.Decisions);
        (await gateway.ChatAsync("cheap", "served by the small tier")).Response.EnsureSuccessStatusCode();
        foreach (var upstream in gateway.Upstreams.All) upstream.Fail("status=503");

        var (failed, _) = await gateway.ChatAsync("cheap", "no tier can answer this one");
        var stats = await gateway.WaitForStatsAsync(2);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(3, gateway.Upstreams.TotalReceived - 1); // small, mid and frontier were all tried...
        var tiers = stats.GetProperty("total").GetProperty("tiers");
        Assert.Equal(1, tiers.GetProperty("small").GetInt64());
        Assert.False(tiers.TryGetProperty("frontier", out _), "a request the frontier never answered is not frontier traffic: " + tiers);
        Assert.Equal(1, tiers.GetProperty("none").GetInt64()); // ...and none of them answered
        var failedRow = stats.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("tier").GetString() == "none");
        Assert.Equal("cheap", failedRow.GetProperty("route").GetString());
        Assert.Equal(1, failedRow.GetProperty("total").GetProperty("errors").GetInt64());
        Assert.Equal(0, failedRow.GetProperty("total").GetProperty("usageMissing").GetInt64()); // three 503s: nothing any upstream bills
        Assert.Equal(2, failedRow.GetProperty("total").GetProperty("escalations").EnumerateObject().Sum(e => e.Value.GetInt64()));
        var failedDecision = Assert.Single(decisions.GetMeasurementSnapshot(), m => Equals(m.Tags[TelemetryTags.Reason], "fallback:upstream-503"));
        Assert.False(failedDecision.Tags.ContainsKey(TelemetryTags.Tier), "the decision of a request no tier served names no serving tier");
    }

    [Fact]
    public async Task Dashboard_Get_SelfContainedHtmlWithStrictPolicy()
    {
        await using var gateway = await TelemetryGateway.StartAsync();

        using var response = await gateway.Http.GetAsync("rightsize/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = Json.Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("<svg id=\"cost-chart\"", html);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("""(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
