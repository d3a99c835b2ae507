using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Configuration;

/// <summary>
/// Two gateways in one process (as the configuration tests run them, and as the demo runs its
/// upstream simulators beside the gateway): each one's <c>/metrics</c> shows its own configuration
/// gauges only, and keeps them when the other one stops. Meters are process-wide, and until
/// 2026-12-01 OpenTelemetry merged the two gateways' instruments of the same name: the first showed
/// the second's generation, and lost both gauges for good once the second was disposed.
/// </summary>
public sealed class TwoGatewaysInOneProcessTests
{
    private const int ConfigurationReloadedEvent = 100;
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SecondGatewayReloadsThenStops_FirstShowsItsOwnGaugesThroughout()
    {
        using var firstConfig = new TempDirectory("rightsize-config-");
        using var secondConfig = new TempDirectory("rightsize-config-");
        await WriteSettingsAsync(firstConfig, "gpt-4.1");
        await WriteSettingsAsync(secondConfig, "gpt-4.1");
        await using var first = await LoggedGateway.StartAsync(new CapturedLogs(), "--config-dir", firstConfig.Path);
        var secondLogs = new CapturedLogs();
        var second = await LoggedGateway.StartAsync(secondLogs, "--config-dir", secondConfig.Path);
        try
        {
            var logged = secondLogs.Entries.Count;
            await WriteSettingsAsync(secondConfig, "gpt-4.1-mini");
            await secondLogs.WaitForAsync(ConfigurationReloadedEvent, logged, EventWait);

            Assert.Equal(2, ConfigGauges.Read(await ScrapeAsync(second), ConfigGauges.Generation));
            Assert.Equal(1, ConfigGauges.Read(await ScrapeAsync(first), ConfigGauges.Generation));
        }
        finally
        {
            await second.DisposeAsync();
        }

        // A disposed instrument's metric is exported once more, then dropped: the later scrapes are the test.
        for (var scrape = 0; scrape < 3; scrape++)
        {
            var metrics = await ScrapeAsync(first);
            Assert.Equal(1, ConfigGauges.Read(metrics, ConfigGauges.Generation));
            Assert.Equal(0, ConfigGauges.Read(metrics, ConfigGauges.Rejected));
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        }
    }

    private static Task<string> ScrapeAsync(LoggedGateway gateway) => gateway.Http.GetStringAsync("metrics", TestContext.Current.CancellationToken);

    private static Task WriteSettingsAsync(TempDirectory config, string model) => File.WriteAllTextAsync(config.Combine("appsettings.json"), $$"""
        {
          "RightSize": {
            "Upstreams": { "openai": { "BaseUrl": "http://127.0.0.1:9/v1" } },
            "Tiers": { "frontier": { "Upstream": "openai", "Model": "{{model}}" } },
            "Routes": { "auto": {} }
          }
        }
        """, TestContext.Current.CancellationToken);
}
