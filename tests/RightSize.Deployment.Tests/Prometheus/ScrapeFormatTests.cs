using RightSize.Deployment.Tests.Infrastructure;

namespace RightSize.Deployment.Tests.Prometheus;

/// <summary>
/// What a Prometheus started with <c>--enable-feature=created-timestamp-zero-ingestion</c> gets from
/// <c>/metrics</c> (docs/telemetry.md): it asks for protobuf first, which the gateway does not speak,
/// so the answer is OpenMetrics text, whose <c>_created</c> lines give each counter's start.
/// </summary>
public sealed class ScrapeFormatTests(PublishedGateway published)
{
    [Fact]
    public async Task Scrape_AsPrometheusWithCreatedTimestampIngestion_OpenMetricsWithCreatedLines()
    {
        await using var run = await ContainerRun.StartAsync(published);
        var gateway = run.Gateway;
        await MetricsScrape.SendTrafficAsync(gateway);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "metrics"));
        request.Headers.TryAddWithoutValidation("Accept", MetricsScrape.PrometheusProtoFirstAccept);
        using var response = await gateway.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/openmetrics-text", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("rightsize_decisions_created{", StringComparison.Ordinal));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("rightsize_attempts_created{", StringComparison.Ordinal));

        // The classic text format has no such lines: only an OpenMetrics scrape can carry them.
        using var plain = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "metrics"));
        plain.Headers.TryAddWithoutValidation("Accept", "text/plain;version=0.0.4");
        using var plainResponse = await gateway.Http.SendAsync(plain);
        Assert.DoesNotContain("_created{", await plainResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
