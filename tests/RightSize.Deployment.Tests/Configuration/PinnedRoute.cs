using System.Net;
using System.Text;
using System.Text.Json;

namespace RightSize.Deployment.Tests.Configuration;

/// <summary>A configuration file with one simulator upstream and a route <c>pinned</c> to one tier, and how to see it in force.</summary>
internal static class PinnedRoute
{
    public static string Settings(Uri upstreamBase, string pinnedTier)
    {
        var upstream = upstreamBase.ToString().TrimEnd('/');
        return $$"""
            {
              "RightSize": {
                "Upstreams": { "sim": { "BaseUrl": "{{upstream}}" } },
                "Tiers": {
                  "small": { "Upstream": "sim", "Model": "sim-small" },
                  "mid": { "Upstream": "sim", "Model": "sim-mid" },
                  "frontier": { "Upstream": "sim", "Model": "sim-frontier" }
                },
                "Routes": { "pinned": { "Tier": "{{pinnedTier}}" } }
              }
            }
            """;
    }

    /// <summary>The tier that served a chat request for <paramref name="route"/> (<c>x-rightsize-tier</c>).</summary>
    public static async Task<string> TierAsync(HttpClient gateway, string route)
    {
        using var body = new StringContent($$"""{"model":"{{route}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        using var response = await gateway.PostAsync("v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return string.Join(",", response.Headers.GetValues("x-rightsize-tier"));
    }

    /// <summary>The configuration generation in force, from <c>/readyz</c>.</summary>
    public static async Task<int> GenerationAsync(HttpClient gateway)
    {
        using var response = await gateway.GetAsync("readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("config_generation").GetInt32();
    }
}
