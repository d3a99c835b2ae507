using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Resilience;
using RightSize.Server.Telemetry;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>Spans exported in-process: the decision on the request span, one client span per upstream attempt.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Chat_OneAttempt_RequestSpanHasDecisionAndAttemptSpanIsItsChild()
    {
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)));

        var body = await SendAsync(gateway, "cheap");
        var usage = TelemetryGateway.UsageOf(body);
        var (request, spans) = await WaitForRequestSpanAsync(exported, gateway);

        Assert.Equal("cheap", request.GetTagItem(TelemetryTags.Route));
        Assert.Equal("small", request.GetTagItem(TelemetryTags.DecidedTier));
        Assert.Equal("small", request.GetTagItem(TelemetryTags.Tier));
        Assert.Equal("default-tier", request.GetTagItem(TelemetryTags.Reason));
        Assert.Equal("cheap", request.GetTagItem(TelemetryTags.RequestModel));
        Assert.Equal("sim-small", request.GetTagItem(TelemetryTags.ResponseModel));
        Assert.Null(request.GetTagItem(TelemetryTags.InputTokens)); // on the attempt that served it: counted once
        var cost = decimal.Parse((string)request.GetTagItem(TelemetryTags.Cost)!, CultureInfo.InvariantCulture);
        Assert.Equal(TelemetryGateway.Cost(usage, TelemetryGateway.SmallPrices), cost);
        Assert.Equal("USD", request.GetTagItem(TelemetryTags.Currency));

        var attempt = Assert.Single(spans, s => s.Source.Name == TelemetryNames.ActivitySourceName);
        Assert.Equal("chat sim-small", attempt.DisplayName);
        Assert.Equal(ActivityKind.Client, attempt.Kind);
        Assert.Equal(request.SpanId, attempt.ParentSpanId);
        Assert.Equal("chat", attempt.GetTagItem(TelemetryTags.OperationName));
        Assert.Equal("sim-small", attempt.GetTagItem(TelemetryTags.RequestModel));
        Assert.Equal("up-small", attempt.GetTagItem(TelemetryTags.Upstream));
        Assert.Equal("small", attempt.GetTagItem(TelemetryTags.Tier));
        Assert.Equal(200, attempt.GetTagItem(TelemetryTags.HttpStatusCode));
        Assert.StartsWith("req_", (string?)attempt.GetTagItem(TelemetryTags.UpstreamRequestId), StringComparison.Ordinal);
        Assert.NotEqual(ActivityStatusCode.Error, attempt.Status);
        Assert.Equal("sim-small", attempt.GetTagItem(TelemetryTags.ResponseModel));
        Assert.Equal(usage.Prompt, attempt.GetTagItem(TelemetryTags.InputTokens));
        Assert.Equal(usage.Completion, attempt.GetTagItem(TelemetryTags.OutputTokens));

        var outbound = Assert.Single(spans, s => s.Source.Name == "System.Net.Http" && s.ParentSpanId == attempt.SpanId);
        Assert.Equal(ActivityKind.Client, outbound.Kind);
    }

    [Fact]
    public async Task Chat_CheapTierFails_TwoAttemptSpansTheFirstAnError()
    {
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(
            services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)),
            upstream: options =>
            {
                if (options.Models.Contains("sim-small")) options.Faults["sim-small"] = FaultScript.Parse("status=503");
            });

        await SendAsync(gateway, "cheap");
        var (request, spans) = await WaitForRequestSpanAsync(exported, gateway);

        var attempts = spans.Where(s => s.Source.Name == TelemetryNames.ActivitySourceName).OrderBy(s => (int)s.GetTagItem(TelemetryTags.Attempt)!).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(request.SpanId, a.ParentSpanId));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal("upstream-503", attempts[0].GetTagItem(TelemetryTags.ErrorType));
        Assert.Equal("small", attempts[0].GetTagItem(TelemetryTags.Tier));
        Assert.Null(attempts[0].GetTagItem(TelemetryTags.ResponseModel));
        Assert.Null(attempts[0].GetTagItem(TelemetryTags.InputTokens));
        Assert.NotEqual(ActivityStatusCode.Error, attempts[1].Status);
        Assert.NotNull(attempts[1].GetTagItem(TelemetryTags.InputTokens));
        Assert.Equal("small", request.GetTagItem(TelemetryTags.DecidedTier));
        Assert.Equal(attempts[1].GetTagItem(TelemetryTags.Tier), request.GetTagItem(TelemetryTags.Tier));
        Assert.StartsWith("fallback:", (string)request.GetTagItem(TelemetryTags.Reason)!);
    }

    [Fact]
    public async Task Chat_UpstreamAnswers404PassedOn_AttemptSpanAnErrorUpstream404()
    {
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)));
        gateway.Upstreams.Small.Fail("status=404");

        var (response, _) = await gateway.ChatAsync("locked", "trace me");
        var (_, spans) = await WaitForRequestSpanAsync(exported, gateway);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        var attempt = Assert.Single(spans, s => s.Source.Name == TelemetryNames.ActivitySourceName);
        Assert.Equal(404, attempt.GetTagItem(TelemetryTags.HttpStatusCode));
        Assert.Equal("upstream-404", attempt.GetTagItem(TelemetryTags.ErrorType));
        Assert.Equal(ActivityStatusCode.Error, attempt.Status);
    }

    [Fact]
    public async Task Stream_CutAfterItStarted_RequestSpanAnErrorStreamCutAndTheAttemptAResponseCut()
    {
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)));
        gateway.Upstreams.Small.Fail("cut-after=2");

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "tell me a story", ""","stream":true""")) };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync()); // the gateway aborts the cut stream
        var (requestSpan, spans) = await WaitForRequestSpanAsync(exported, gateway);

        Assert.Equal(ActivityStatusCode.Error, requestSpan.Status);
        Assert.Equal("stream-cut", requestSpan.GetTagItem(TelemetryTags.ErrorType));
        Assert.Equal(true, requestSpan.GetTagItem(TelemetryTags.StreamFailed));
        var attempt = Assert.Single(spans, s => s.Source.Name == TelemetryNames.ActivitySourceName);
        Assert.Equal("response-cut", attempt.GetTagItem(TelemetryTags.ErrorType));
        Assert.Equal(ActivityStatusCode.Error, attempt.Status);
    }

    [Fact]
    public async Task Embeddings_WithUsage_AttemptSpanHasInputTokensAndNoOutputTokens()
    {
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)));

        using var response = await gateway.Http.PostAsync("routes/cheap/v1/embeddings", Json.Body("""{"model":"sim-frontier","input":"embed these few words"}"""));
        var body = await Json.ReadAsync(response);
        response.EnsureSuccessStatusCode();
        var (request, spans) = await WaitForRequestSpanAsync(exported, gateway);

        Assert.Equal("embeddings", request.GetTagItem(TelemetryTags.OperationName));
        var attempt = Assert.Single(spans, s => s.Source.Name == TelemetryNames.ActivitySourceName);
        Assert.Equal(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), attempt.GetTagItem(TelemetryTags.InputTokens));
        Assert.Null(attempt.GetTagItem(TelemetryTags.OutputTokens));
    }

    [Fact]
    public async Task Stream_Served_AttemptSpanHasTheUsageTheGatewayAskedFor()
    {
        // The client did not ask for usage: the gateway asks the upstream and reads its last chunk.
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)));

        using var response = await gateway.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "trace me", ""","stream":true""")));
        var events = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, events);
        var (_, spans) = await WaitForRequestSpanAsync(exported, gateway);

        var attempt = Assert.Single(spans, s => s.Source.Name == TelemetryNames.ActivitySourceName);
        Assert.True(attempt.GetTagItem(TelemetryTags.InputTokens) is int input && input > 0);
        Assert.True(attempt.GetTagItem(TelemetryTags.OutputTokens) is int output && output > 0);
    }

    [Fact]
    public async Task Chat_UnderARoutesPathPrefix_ServerSpanNamedByTheRouteTemplate()
    {
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)));

        using var response = await gateway.Http.PostAsync("routes/cheap/v1/chat/completions", Json.Body(Json.Chat("gpt-4o-mini", "trace me")));
        response.EnsureSuccessStatusCode();
        var (request, _) = await WaitForRequestSpanAsync(exported, gateway);

        Assert.Equal("/routes/{route}/v1/chat/completions", request.GetTagItem("http.route"));
        Assert.Equal("POST /routes/{route}/v1/chat/completions", request.DisplayName);
    }

    [Fact]
    public async Task Chat_UpstreamInTheSameProcess_ItsServerSpansAreNotExportedAsTheGateways()
    {
        // The simulators are ASP.NET Core hosts in this process, as the demo's are.
        var exported = new List<Activity>();
        await using var gateway = await TelemetryGateway.StartAsync(services: s => s.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(exported)));

        await SendAsync(gateway, "cheap");
        var (request, spans) = await WaitForRequestSpanAsync(exported, gateway);
        await gateway.Upstreams.DisposeAsync(); // every simulator request has ended, and its span with it

        Assert.Equal(1, gateway.Upstreams.Small.Journal.TotalReceived);
        var upstreamPorts = gateway.Upstreams.All.Select(u => u.BaseAddress.Port).ToHashSet();
        Assert.DoesNotContain(exported.ToArray(), a => a is not null && a.Kind == ActivityKind.Server && a.GetTagItem("server.port") is int port && upstreamPorts.Contains(port));
        Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        Assert.Equal(request, spans.Single(s => s.Kind == ActivityKind.Server));
    }

    private static async Task<string> SendAsync(TelemetryGateway gateway, string model)
    {
        using var response = await gateway.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat(model, "trace me")));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    // Activity sources are process-wide, and other tests' gateways may run beside this one: the
    // gateway's request span is the server span on the gateway's port; keep its trace only.
    private static async Task<(Activity Request, List<Activity> Trace)> WaitForRequestSpanAsync(List<Activity> exported, TelemetryGateway gateway)
    {
        var port = gateway.BaseAddress.Port;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var all = exported.ToArray().Where(a => a is not null).ToList();
            var request = all.SingleOrDefault(a => a.Kind == ActivityKind.Server && Equals(a.GetTagItem("server.port"), port) && a.GetTagItem(TelemetryTags.Route) is not null);
            if (request is not null) return (request, all.Where(a => a.TraceId == request.TraceId).ToList());
            Assert.True(DateTime.UtcNow < deadline, "The gateway's request span was not exported.");
            await Task.Delay(25);
        }
    }
}
