using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Gateway;
using RightSize.Upstream.Simulator;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>
/// The real gateway of <see cref="GatewayHarness"/> with known tier prices, tracing on, and a hook
/// to add test services (collectors, exporters, log sinks).
/// </summary>
public sealed class TelemetryGateway : IAsyncDisposable
{
    public static readonly (decimal Input, decimal Output) SmallPrices = (0.05m, 0.10m);
    public static readonly (decimal Input, decimal Output) MidPrices = (0.40m, 1.60m);
    public static readonly (decimal Input, decimal Output) FrontierPrices = (2.00m, 8.00m);

    private readonly GatewayHarness _harness;

    private TelemetryGateway(GatewayHarness harness) => _harness = harness;

    public GatewayApp Gateway => _harness.Gateway;

    public TestUpstreams Upstreams => _harness.Upstreams;

    public Uri BaseAddress => _harness.BaseAddress;

    public HttpClient Http => _harness.Http;

    public IServiceProvider Services => Gateway.App.Services;

    public static async Task<TelemetryGateway> StartAsync(
        Action<Dictionary<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null,
        Action<SimulatorOptions>? upstream = null,
        IEnumerable<string>? args = null)
    {
        var upstreams = await TestUpstreams.StartAsync(upstream);
        var harness = await GatewayHarness.StartAsync(
            config =>
            {
                foreach (var (tier, prices) in new[] { ("small", SmallPrices), ("mid", MidPrices), ("frontier", FrontierPrices) })
                {
                    config[$"RightSize:Tiers:{tier}:InputPerMTok"] = prices.Input.ToString(CultureInfo.InvariantCulture);
                    config[$"RightSize:Tiers:{tier}:OutputPerMTok"] = prices.Output.ToString(CultureInfo.InvariantCulture);
                }

                settings?.Invoke(config);
            },
            upstreams,
            services,
            // Whether to trace is decided as the services are registered, before the harness's settings are added.
            ["--RightSize:Telemetry:Tracing=true", .. args ?? []]);
        return new TelemetryGateway(harness);
    }

    /// <summary>Sends a chat request and returns the response with its body read.</summary>
    public async Task<(HttpResponseMessage Response, string Body)> ChatAsync(string model, string prompt, string extra = "", string? pathPrefix = null)
    {
        var response = await Http.PostAsync((pathPrefix ?? string.Empty) + "v1/chat/completions", Json.Body(Json.Chat(model, prompt, extra)));
        var body = await response.Content.ReadAsStringAsync();
        return (response, body);
    }

    /// <summary>The usage object of a non-streaming body, or of the usage chunk of a stream.</summary>
    public static (int Prompt, int Completion) UsageOf(string body)
    {
        foreach (var line in body.Split('\n'))
        {
            var json = line.StartsWith("data:", StringComparison.Ordinal) ? line[5..].Trim() : line.Trim();
            if (json.Length == 0 || json[0] != '{') continue;
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                return (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
            }
        }

        throw new InvalidOperationException("The response carries no usage: " + body);
    }

    public static decimal Cost((int Prompt, int Completion) usage, (decimal Input, decimal Output) prices) =>
        ((usage.Prompt * prices.Input) + (usage.Completion * prices.Output)) / 1_000_000m;

    public async Task<JsonElement> StatsAsync()
    {
        using var response = await Http.GetAsync("rightsize/stats");
        response.EnsureSuccessStatusCode();
        return await Json.ReadAsync(response);
    }

    /// <summary>Waits until the stats count <paramref name="requests"/> requests (observers run as the response completes).</summary>
    public async Task<JsonElement> WaitForStatsAsync(int requests)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var stats = await StatsAsync();
            if (stats.GetProperty("total").GetProperty("requests").GetInt64() >= requests || DateTime.UtcNow > deadline) return stats;
            await Task.Delay(25);
        }
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();
}
