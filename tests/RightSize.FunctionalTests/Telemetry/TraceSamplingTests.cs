using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>Apart from the other tests: activity listeners are process-wide, and another gateway's always-on sampler would record the spans this one drops.</summary>
[CollectionDefinition(nameof(TraceSamplingTests), DisableParallelization = true)]
public sealed class TraceSamplingApart;

/// <summary>The standard <c>OTEL_TRACES_SAMPLER</c> and <c>OTEL_TRACES_SAMPLER_ARG</c> choose which requests are traced.</summary>
[Collection(nameof(TraceSamplingTests))]
public sealed class TraceSamplingTests
{
    private const string ClientTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task ParentBasedRatioZero_RequestWithoutContextNotExportedClientSampledTraceExported()
    {
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(
            services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)),
            args: ["--OTEL_TRACES_SAMPLER=parentbased_traceidratio", "--OTEL_TRACES_SAMPLER_ARG=0.0"]);

        await SendAsync(gateway, traceparent: null);
        await SendAsync(gateway, traceparent: $"00-{ClientTraceId}-00f067aa0ba902b7-01");
        await WaitForServerSpanAsync(exported, gateway, ClientTraceId);

        var received = gateway.Upstreams.Small.Journal.Snapshot();
        Assert.Equal(2, received.Count);
        var unsampled = received[0].Headers["traceparent"].Split('-');
        Assert.Equal("00", unsampled[3]); // the upstream is told the gateway did not sample it
        Assert.DoesNotContain(exported.ToArray(), a => a.TraceId.ToHexString() == unsampled[1]);
        var sampled = received[1].Headers["traceparent"].Split('-');
        Assert.Equal(ClientTraceId, sampled[1]);
        Assert.Equal("01", sampled[3]);
        Assert.Contains(exported.ToArray(), a => a.TraceId.ToHexString() == ClientTraceId && a.Source.Name == "System.Net.Http");
    }

    [Theory]
    [InlineData("ratio", null, "OTEL_TRACES_SAMPLER")]
    [InlineData("parentbased_traceidratio", "10%", "OTEL_TRACES_SAMPLER_ARG")]
    [InlineData("traceidratio", "1.5", "OTEL_TRACES_SAMPLER_ARG")]
    public async Task Start_TracesSamplerInvalid_FailsNamingTheKey(string sampler, string? ratio, string key)
    {
        await using var upstreams = await TestUpstreams.StartAsync();
        string[] args = ratio is null
            ? ["--RightSize:Telemetry:Tracing=true", $"--OTEL_TRACES_SAMPLER={sampler}"]
            : ["--RightSize:Telemetry:Tracing=true", $"--OTEL_TRACES_SAMPLER={sampler}", $"--OTEL_TRACES_SAMPLER_ARG={ratio}"];

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHarness.StartAsync(configure: null, upstreams, args));

        Assert.Contains(key + " must be", failure.Message, StringComparison.Ordinal);
    }

    private static async Task SendAsync(TelemetryGateway gateway, string? traceparent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "trace me")) };
        if (traceparent is not null) request.Headers.Add("traceparent", traceparent);
        using var client = TracePropagationTests.Client(gateway.BaseAddress);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
    }

    private static async Task WaitForServerSpanAsync(List<Activity> exported, TelemetryGateway gateway, string traceId)
    {
        var port = gateway.BaseAddress.Port;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!exported.ToArray().Any(a => a is not null && a.Kind == ActivityKind.Server && a.TraceId.ToHexString() == traceId && Equals(a.GetTagItem("server.port"), port)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The gateway's span of the client's sampled trace was not exported: " + string.Join("; ", exported.ToArray().Select(a => $"{a.Source.Name} {a.Kind} {a.TraceId} {a.GetTagItem("server.port")}")));
            await Task.Delay(25);
        }
    }
}
