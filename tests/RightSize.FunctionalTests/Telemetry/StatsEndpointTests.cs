using System.Text.RegularExpressions;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Resilience;

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
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("auto", "hi")) };
        request.Headers.Add("x-rightsize-tier", "frontier");

        using var response = await gateway.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var total = (await gateway.WaitForStatsAsync(1)).GetProperty("total");

        Assert.Equal(2, gateway.Upstreams.Frontier.Journal.TotalReceived); // retried on the same tier...
        Assert.Equal(1, total.GetProperty("tiers").GetProperty("frontier").GetInt64());
        Assert.Empty(total.GetProperty("escalations").EnumerateObject()); // ...which moved the request nowhere
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
