using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Resilience;
using RightSize.Server.Telemetry;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>The gateway's instruments, collected in-process from the real gateway in front of the simulator.</summary>
public sealed class MetricsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Chat_NonStreaming_TokenUsageDurationDecisionAndCostWithGenAiTags()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var tokens = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.TokenUsage);
        using var duration = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.OperationDuration);
        using var decisions = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.Decisions);
        using var cost = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.Cost);
        using var frontier = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.FrontierEquivalentCost);
        using var savings = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.Savings);

        var (response, body) = await gateway.ChatAsync("cheap", "How many legs does a spider have?");
        response.EnsureSuccessStatusCode();
        var usage = TelemetryGateway.UsageOf(body);
        await tokens.WaitForMeasurementsAsync(2, Wait);
        await savings.WaitForMeasurementsAsync(1, Wait);

        Assert.Equal("{token}", tokens.Instrument!.Unit);
        var measurements = tokens.GetMeasurementSnapshot();
        var input = Assert.Single(measurements, m => Equals(m.Tags[TelemetryTags.TokenType], "input"));
        var output = Assert.Single(measurements, m => Equals(m.Tags[TelemetryTags.TokenType], "output"));
        Assert.Equal(usage.Prompt, input.Value);
        Assert.Equal(usage.Completion, output.Value);
        Assert.Equal("chat", input.Tags[TelemetryTags.OperationName]);
        Assert.Equal("cheap", input.Tags[TelemetryTags.RequestModel]);
        Assert.Equal("sim-small", input.Tags[TelemetryTags.ResponseModel]);
        Assert.Equal("openai", input.Tags[TelemetryTags.ProviderName]);
        Assert.Equal("cheap", input.Tags[TelemetryTags.Route]);
        Assert.Equal("small", input.Tags[TelemetryTags.Tier]);

        Assert.Equal("s", duration.Instrument!.Unit);
        var seconds = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.True(seconds.Value > 0);
        Assert.False(seconds.Tags.ContainsKey(TelemetryTags.ErrorType));

        var decision = Assert.Single(decisions.GetMeasurementSnapshot());
        Assert.Equal(1, decision.Value);
        Assert.Equal("cheap", decision.Tags[TelemetryTags.Route]);
        Assert.Equal("small", decision.Tags[TelemetryTags.Tier]);
        Assert.Equal("default-tier", decision.Tags[TelemetryTags.Reason]);

        var expectedCost = TelemetryGateway.Cost(usage, TelemetryGateway.SmallPrices);
        var expectedFrontier = TelemetryGateway.Cost(usage, TelemetryGateway.FrontierPrices);
        Assert.Equal("{USD}", cost.Instrument!.Unit);
        Assert.Equal((double)expectedCost, cost.LastMeasurement!.Value, 12);
        Assert.Equal((double)expectedFrontier, frontier.LastMeasurement!.Value, 12);
        Assert.Equal((double)(expectedFrontier - expectedCost), savings.LastMeasurement!.Value, 12);
        Assert.Equal("small", cost.LastMeasurement.Tags[TelemetryTags.Tier]);
    }

    [Fact]
    public async Task Chat_TierPricedAboveTheFrontier_NoSavingsMeasurement()
    {
        // Savings is a counter: a negative measurement would make it go down, and Prometheus's
        // rate() reads a counter going down as a reset. Small at ten times the frontier's prices.
        await using var gateway = await TelemetryGateway.StartAsync(settings =>
        {
            settings["RightSize:Tiers:small:InputPerMTok"] = "20";
            settings["RightSize:Tiers:small:OutputPerMTok"] = "80";
        });
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var cost = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.Cost);
        using var frontier = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.FrontierEquivalentCost);
        using var savings = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.Savings);

        var (response, _) = await gateway.ChatAsync("cheap", "hello");
        response.EnsureSuccessStatusCode();
        // The three are recorded together, savings last: once the frontier-equivalent is in, so is any savings.
        await frontier.WaitForMeasurementsAsync(1, Wait);

        Assert.True(cost.LastMeasurement!.Value > frontier.LastMeasurement!.Value);
        Assert.Empty(savings.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Chat_Streaming_TimeToFirstChunkAndUsageEvenWhenTheClientDidNotAsk()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var firstChunk = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.TimeToFirstChunk);
        using var tokens = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.TokenUsage);
        using var missing = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.UsageMissing);

        var (response, _) = await gateway.ChatAsync("auto", "Stream me a short answer", ""","stream":true""");
        response.EnsureSuccessStatusCode();
        await tokens.WaitForMeasurementsAsync(2, Wait);

        Assert.Equal("s", firstChunk.Instrument!.Unit);
        var first = Assert.Single(firstChunk.GetMeasurementSnapshot());
        Assert.True(first.Value > 0);
        Assert.Equal("chat", first.Tags[TelemetryTags.OperationName]);
        Assert.Equal("sim-mid", first.Tags[TelemetryTags.ResponseModel]);
        Assert.Equal(2, tokens.GetMeasurementSnapshot().Count);
        Assert.All(tokens.GetMeasurementSnapshot(), m => Assert.True(m.Value > 0));
        Assert.Empty(missing.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Chat_CheapTierFails_EscalationByReasonAndFailedAttempt()
    {
        await using var gateway = await TelemetryGateway.StartAsync(upstream: options =>
        {
            if (options.Models.Contains("sim-small")) options.Faults["sim-small"] = FaultScript.Parse("status=503");
        });
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var escalations = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.Escalations);
        using var attempts = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.Attempts);
        using var decisions = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.Decisions);

        var (response, _) = await gateway.ChatAsync("cheap", "hello");
        response.EnsureSuccessStatusCode();
        await escalations.WaitForMeasurementsAsync(1, Wait);

        var escalation = Assert.Single(escalations.GetMeasurementSnapshot());
        Assert.Equal("upstream-503", escalation.Tags[TelemetryTags.Reason]);
        Assert.Equal("cheap", escalation.Tags[TelemetryTags.Route]);
        var byTier = attempts.GetMeasurementSnapshot();
        var failed = Assert.Single(byTier, m => Equals(m.Tags[TelemetryTags.Tier], "small"));
        Assert.Equal("upstream-503", failed.Tags[TelemetryTags.ErrorType]);
        Assert.Equal("up-small", failed.Tags[TelemetryTags.Upstream]);
        var served = Assert.Single(byTier, m => !Equals(m.Tags[TelemetryTags.Tier], "small"));
        Assert.False(served.Tags.ContainsKey(TelemetryTags.ErrorType));
        Assert.Equal(served.Tags[TelemetryTags.Tier], decisions.LastMeasurement!.Tags[TelemetryTags.Tier]);
    }

    [Fact]
    public async Task Chat_FixedTiersUpstreamAnswers404_ClientGets404AndTheAttemptCountsAsFailedWithoutAnEscalation()
    {
        // A retired model: the upstream's 404 is the client's answer, and the attempt that got it failed.
        await using var gateway = await TelemetryGateway.StartAsync();
        gateway.Upstreams.Small.Fail("status=404");
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var attempts = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.Attempts);
        using var escalations = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.Escalations);
        using var decisions = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.Decisions);

        var (response, _) = await gateway.ChatAsync("locked", "hello");
        await decisions.WaitForMeasurementsAsync(1, Wait);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("fixed", Json.Header(response, "x-rightsize-reason"));
        var attempt = Assert.Single(attempts.GetMeasurementSnapshot());
        Assert.Equal("upstream-404", attempt.Tags[TelemetryTags.ErrorType]);
        Assert.Equal("small", attempt.Tags[TelemetryTags.Tier]);
        Assert.Equal("up-small", attempt.Tags[TelemetryTags.Upstream]);
        Assert.Empty(escalations.GetMeasurementSnapshot());
        Assert.Equal(0, gateway.Upstreams.Mid.Journal.TotalReceived);
    }

    [Fact]
    public async Task Embeddings_WithUsage_InputTokensOnlyAsEmbeddingsHaveNoOutput()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var tokens = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.TokenUsage);

        // The route's embeddings go to the upstream of its maximum tier, the frontier.
        using var response = await gateway.Http.PostAsync("routes/cheap/v1/embeddings", Json.Body("""{"model":"sim-frontier","input":"embed these few words"}"""));
        var body = await Json.ReadAsync(response);
        response.EnsureSuccessStatusCode();
        await gateway.WaitForStatsAsync(1); // the stats are fed after the metrics

        var input = Assert.Single(tokens.GetMeasurementSnapshot());
        Assert.Equal("input", input.Tags[TelemetryTags.TokenType]);
        Assert.Equal("embeddings", input.Tags[TelemetryTags.OperationName]);
        Assert.Equal(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt64(), input.Value);
    }

    [Fact]
    public async Task RefusedByThePolicyOrARoutesEmbeddings_NoDecisionAndNoUnknownUsageCounted()
    {
        // Neither chose a tier: a refused request was never routed, and a route sends its
        // embeddings on as they are. Counted, they would show as tier none in the dashboard's
        // "Routed requests by tier", which reads as an outage.
        await using var gateway = await TelemetryGateway.StartAsync();
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var decisions = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.Decisions);
        using var duration = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.OperationDuration);
        using var missing = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.UsageMissing);

        using var refused = Json.ChatForTier("auto", "hi", "huge");
        using (var response = await gateway.Http.SendAsync(refused)) Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        using (var response = await gateway.Http.PostAsync("routes/cheap/v1/embeddings", Json.Body("""{"model":"sim-frontier","input":"embed these"}""")))
        {
            response.EnsureSuccessStatusCode();
        }

        (await gateway.ChatAsync("auto", "hi")).Response.EnsureSuccessStatusCode();
        await duration.WaitForMeasurementsAsync(3, Wait); // all three requests completed

        var decision = Assert.Single(decisions.GetMeasurementSnapshot());
        Assert.Equal("auto", decision.Tags[TelemetryTags.Route]);
        Assert.Equal("default-tier", decision.Tags[TelemetryTags.Reason]);
        Assert.Contains(duration.GetMeasurementSnapshot(), m => Equals(m.Tags[TelemetryTags.ErrorType], "400"));
        Assert.Empty(missing.GetMeasurementSnapshot()); // the refused request was never sent: it cost nothing, and is not "usage unknown"
    }

    [Fact]
    public async Task Chat_EveryUpstreamAnswers503_NotCountedAsUsageUnknown()
    {
        // An outage: every tier answers 503, held back, and the client gets the gateway's 503. No
        // upstream generated anything it bills, so "usage unknown" must not rise with every outage.
        await using var gateway = await TelemetryGateway.StartAsync(upstream: options =>
        {
            foreach (var model in options.Models) options.Faults[model] = FaultScript.Parse("status=503");
        });
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var missing = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.UsageMissing);
        using var duration = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.OperationDuration);

        var (response, _) = await gateway.ChatAsync("locked", "hello");
        var total = (await gateway.WaitForStatsAsync(1)).GetProperty("total"); // the stats are recorded after the metrics

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, total.GetProperty("requests").GetInt64());
        Assert.Equal("503", duration.LastMeasurement!.Tags[TelemetryTags.ErrorType]);
        Assert.Empty(missing.GetMeasurementSnapshot());
        Assert.Equal(0, total.GetProperty("usageMissing").GetInt64());
    }

    [Fact]
    public async Task Chat_EveryUpstreamCutsTheConnection_UsageMissingNotZeroCost()
    {
        // The request reached each upstream, which may have generated (and billed) an answer before
        // the connection was cut: its cost is unknown, not zero.
        await using var gateway = await TelemetryGateway.StartAsync(upstream: options =>
        {
            foreach (var model in options.Models) options.Faults[model] = FaultScript.Parse("reset");
        });
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var missing = new MetricCollector<long>(factory, TelemetryNames.MeterName, TelemetryNames.UsageMissing);
        using var cost = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.Cost);
        using var duration = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.OperationDuration);

        var (response, _) = await gateway.ChatAsync("locked", "hello");
        await missing.WaitForMeasurementsAsync(1, Wait);

        Assert.True((int)response.StatusCode >= 500);
        var unknown = Assert.Single(missing.GetMeasurementSnapshot());
        Assert.Equal(1, unknown.Value);
        Assert.Equal("locked", unknown.Tags[TelemetryTags.Route]);
        Assert.Empty(cost.GetMeasurementSnapshot());
        var failed = duration.LastMeasurement!;
        Assert.NotNull(failed.Tags[TelemetryTags.ErrorType]);
        // No model answered: the outage is not counted against the last model tried.
        Assert.False(failed.Tags.ContainsKey(TelemetryTags.ResponseModel));
        Assert.False(failed.Tags.ContainsKey(TelemetryTags.Tier));
    }

    [Fact]
    public async Task Chat_SlowUpload_DurationCountsFromArrivalNotFromTheLastByteOfTheBody()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var duration = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.OperationDuration);
        var pause = TimeSpan.FromSeconds(2);
        using var content = new PausingContent(System.Text.Encoding.UTF8.GetBytes(Json.Chat("cheap", "hello")), pause);
        content.Headers.ContentType = new("application/json");

        using var response = await gateway.Http.PostAsync("v1/chat/completions", content);
        await duration.WaitForMeasurementsAsync(1, Wait);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        // Counted from after the body, the duration is the few milliseconds of forwarding; from
        // arrival it holds the pause. Half the pause leaves room for a busy machine to start the
        // handler late.
        Assert.True(duration.LastMeasurement!.Value >= pause.TotalSeconds / 2, $"duration {duration.LastMeasurement.Value:0.000} s, though the body took {pause.TotalSeconds} s to arrive");
    }

    /// <summary>A body that sends its first 10 bytes, pauses, then the rest: a slow upload.</summary>
    private sealed class PausingContent(byte[] body, TimeSpan pause) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, 10));
            await stream.FlushAsync();
            await Task.Delay(pause);
            await stream.WriteAsync(body.AsMemory(10));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }

    [Fact]
    public async Task Metrics_AnyMethodButGetOrHead_405AsTheOtherReadOnlyEndpoints()
    {
        await using var gateway = await TelemetryGateway.StartAsync();

        using var head = await gateway.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "metrics"));
        using var post = await gateway.Http.PostAsync("metrics", new StringContent("{}"));

        head.EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("method_not_allowed", (await Json.ReadAsync(post)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Metrics_Scraped_PrometheusNamesOfEveryRecordedInstrument()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        (await gateway.ChatAsync("cheap", "hello")).Response.EnsureSuccessStatusCode();
        (await gateway.ChatAsync("auto", "stream please", ""","stream":true""")).Response.EnsureSuccessStatusCode();
        await gateway.WaitForStatsAsync(2);

        using var response = await gateway.Http.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        response.EnsureSuccessStatusCode();
        foreach (var name in new[]
        {
            "gen_ai_client_token_usage_bucket{", "gen_ai_client_operation_duration_seconds_bucket{",
            "gen_ai_client_operation_time_to_first_chunk_seconds_bucket{", "rightsize_decisions_total{",
            "rightsize_attempts_total{",
        })
        {
            Assert.Contains(name, text);
        }

        // The money counters start every route and tier at 0: the served one must have moved.
        foreach (var name in new[] { "rightsize_cost_total{", "rightsize_frontier_equivalent_cost_total{", "rightsize_savings_total{" })
        {
            var line = text.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal)
                && l.Contains("rightsize_route=\"cheap\"", StringComparison.Ordinal) && l.Contains("rightsize_tier=\"small\"", StringComparison.Ordinal));
            Assert.True(double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0, line);
        }

        Assert.Contains("gen_ai_token_type=\"input\"", text);
        Assert.Contains("rightsize_route=\"cheap\"", text);
    }

    [Fact]
    public async Task Chat_ModelNamesTheConfigurationDoesNotKnow_RecordedAsOtherSoClientsCannotAddSeries()
    {
        await using var gateway = await TelemetryGateway.StartAsync();
        var factory = gateway.Services.GetRequiredService<IMeterFactory>();
        using var duration = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.OperationDuration);

        // A measurement is recorded as its response completes, after the body has gone out: each
        // is awaited before the next request, so the measurements are in the requests' order.
        (await gateway.ChatAsync("invented-model-1", "hi", pathPrefix: "routes/cheap/")).Response.EnsureSuccessStatusCode();
        await duration.WaitForMeasurementsAsync(1, Wait);
        (await gateway.ChatAsync("invented-model-2", "hi", pathPrefix: "routes/cheap/")).Response.EnsureSuccessStatusCode();
        await duration.WaitForMeasurementsAsync(2, Wait);
        (await gateway.ChatAsync("CHEAP", "hi")).Response.EnsureSuccessStatusCode();
        await duration.WaitForMeasurementsAsync(3, Wait);

        // An embeddings route without Embeddings:Model sends the client's model on: served as sent, recorded as _OTHER.
        using var embeddings = await gateway.Http.PostAsync("routes/cheap/v1/embeddings", Json.Body("""{"model":"invented-embedder","input":"hi"}"""));
        await duration.WaitForMeasurementsAsync(4, Wait);

        var measurements = duration.GetMeasurementSnapshot();
        Assert.Equal(["_OTHER", "_OTHER", "cheap", "_OTHER"], measurements.Select(m => m.Tags[TelemetryTags.RequestModel]).ToList());
        Assert.Equal(["sim-small", "sim-small", "sim-small", "_OTHER"], measurements.Select(m => m.Tags[TelemetryTags.ResponseModel]).ToList());
    }
}
