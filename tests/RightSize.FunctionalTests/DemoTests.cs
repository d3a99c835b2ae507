using System.Net;
using System.Text.RegularExpressions;
using RightSize.Classification;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Gateway;
using RightSize.Gateway.Demo;

namespace RightSize.FunctionalTests;

/// <summary>The README's first command: <c>--demo</c> with its simulators and the shipped model.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_BannerPrompts_EasyGoesToACheaperTierThanHard_AndIsAnsweredBySimulator()
    {
        await using var gateway = await GatewayApp.CreateAsync([GatewayApp.DemoFlag, "--urls", "http://127.0.0.1:0"]);
        await gateway.App.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(gateway.App.Urls.First() + "/") };

        var easy = await DecideAsync(http, DemoBanner.EasyPrompt);
        var hard = await DecideAsync(http, DemoBanner.HardPrompt);
        Assert.True(easy < hard, $"easy prompt went to {easy}, hard prompt to {hard}");

        using var response = await http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("auto", DemoBanner.EasyPrompt)), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(easy.ToName(), Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("classifier", Json.Header(response, "x-rightsize-reason"));
        var body = await Json.ReadAsync(response);
        Assert.StartsWith($"[{body.GetProperty("model").GetString()}] {DemoBanner.EasyPrompt}", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);

        // The banner says premium is always frontier: a client's tier header does not change that.
        using var premium = Json.ChatForTier("premium", DemoBanner.EasyPrompt, "small");
        using var premiumResponse = await http.SendAsync(premium, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, premiumResponse.StatusCode);
        Assert.Equal("frontier", Json.Header(premiumResponse, "x-rightsize-tier"));
    }

    [Fact]
    public async Task Demo_BannerCommandsRunAsPrinted_HeadersShowTheEasyPromptOnACheaperTierThanTheHardOne()
    {
        await using var gateway = await GatewayApp.CreateAsync([GatewayApp.DemoFlag, "--urls", "http://127.0.0.1:0"]);
        await gateway.App.StartAsync(TestContext.Current.CancellationToken);
        using var banner = new StringWriter();
        DemoBanner.Print(gateway.App, gateway.Demo!, banner);
        using var http = new HttpClient();

        // Every curl line, run as printed: "curl -si" shows the response headers, so those are the ones a user compares.
        var shownTiers = new List<Tier>();
        foreach (Match curl in Regex.Matches(banner.ToString(), @"curl (?<flags>-\w+) (?<url>\S+) -H '[^']*' -d '(?<body>[^']*)'"))
        {
            using var response = await http.PostAsync(curl.Groups["url"].Value, Json.Body(curl.Groups["body"].Value), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (curl.Groups["flags"].Value.Contains('i', StringComparison.Ordinal))
            {
                Assert.Equal("auto", Json.Header(response, "x-rightsize-route"));
                Assert.Equal("classifier", Json.Header(response, "x-rightsize-reason"));
                Assert.True(TierNames.TryParse(Json.Header(response, "x-rightsize-tier"), out var tier), banner.ToString());
                shownTiers.Add(tier);
            }
        }

        Assert.Equal(2, shownTiers.Count);
        Assert.True(shownTiers[0] < shownTiers[1], $"the banner's easy prompt showed {shownTiers[0]}, its hard prompt {shownTiers[1]}");
    }

    [Fact]
    public async Task Demo_EmbeddingsOnTheAutoRoute_AnsweredByTheDemosEmbeddingsModel()
    {
        // The README's embeddings line: without an embeddings model the route has nothing to send.
        await using var gateway = await GatewayApp.CreateAsync([GatewayApp.DemoFlag, "--urls", "http://127.0.0.1:0"]);
        await gateway.App.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(gateway.App.Urls.First() + "/") };

        using var response = await http.PostAsync("v1/embeddings", Json.Body("""{"model":"auto","input":"hello"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal(DemoUpstreams.EmbeddingsModel, body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("data")[0].GetProperty("embedding").GetArrayLength() > 0);
    }

    private static async Task<Tier> DecideAsync(HttpClient http, string prompt)
    {
        var decision = await Json.ReadAsync(await http.PostAsync("rightsize/route", Json.Body(Json.Chat("auto", prompt)), TestContext.Current.CancellationToken));
        Assert.Equal("classifier", decision.GetProperty("reason").GetString());
        Assert.True(TierNames.TryParse(decision.GetProperty("tier").GetString(), out var tier));
        return tier;
    }
}
