using System.Net;
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
        using var premium = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("premium", DemoBanner.EasyPrompt)) };
        premium.Headers.Add("x-rightsize-tier", "small");
        using var premiumResponse = await http.SendAsync(premium, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, premiumResponse.StatusCode);
        Assert.Equal("frontier", Json.Header(premiumResponse, "x-rightsize-tier"));
    }

    private static async Task<Tier> DecideAsync(HttpClient http, string prompt)
    {
        var decision = await Json.ReadAsync(await http.PostAsync("rightsize/route", Json.Body(Json.Chat("auto", prompt)), TestContext.Current.CancellationToken));
        Assert.Equal("classifier", decision.GetProperty("reason").GetString());
        Assert.True(TierNames.TryParse(decision.GetProperty("tier").GetString(), out var tier));
        return tier;
    }
}
