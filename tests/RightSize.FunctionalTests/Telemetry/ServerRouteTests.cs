using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>
/// ASP.NET Core's own <c>http.server.request.duration</c> names a request served under a route's
/// path prefix by its template, not by the fallback's <c>{**path}</c> that 404s share.
/// </summary>
public sealed class ServerRouteTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("routes/cheap/v1/chat/completions", "/routes/{route}/v1/chat/completions")]
    [InlineData("team-a/v1/chat/completions", "{path_prefix}/v1/chat/completions")]
    [InlineData("routes/cheap/v1/models", "/routes/{route}/v1/models")]
    [InlineData("v1/models/auto", "/v1/models/{model}")]
    [InlineData("routes/cheap/v1/models/auto", "/routes/{route}/v1/models/{model}")]
    [InlineData("team-a/v1/models/auto", "{path_prefix}/v1/models/{model}")]
    [InlineData("v1/chat/completions", "/v1/chat/completions")]
    [InlineData("no/such/path", "{**path}")]
    public async Task Request_ServerDurationMetric_NamesTheRouteTemplate(string path, string template)
    {
        await using var gateway = await TelemetryGateway.StartAsync(settings => settings["RightSize:Routes:team:PathPrefix"] = "/team-a");
        using var duration = new MetricCollector<double>(gateway.Services.GetRequiredService<IMeterFactory>(), "Microsoft.AspNetCore.Hosting", "http.server.request.duration");

        using var response = path.Contains("/models", StringComparison.Ordinal)
            ? await gateway.Http.GetAsync(path)
            : await gateway.Http.PostAsync(path, Json.Body(Json.Chat("cheap", "hi")));
        await duration.WaitForMeasurementsAsync(1, Wait);

        var measurement = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(template, measurement.Tags["http.route"]);
    }
}
