using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.FunctionalTests.Resilience;
using RightSize.Gateway.Logging;
using RightSize.Upstream.Simulator.Faults;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace RightSize.FunctionalTests.Telemetry;

/// <summary>Logs at default content settings: one completion line per request, correlated, and never prompt text or keys.</summary>
public sealed class LoggingTests
{
    private const string Prompt = "CANARY-PROMPT-5f2c9e the secret plan is purple elephants";
    private const string UpstreamKey = "sk-upstream-CANARY-7d41a0b6e3";
    private const string ClientKey = "sk-client-CANARY-19c8f2d0aa";

    [Fact]
    public async Task Requests_AtDefaultSettings_NoPromptTextAndNoKeysInAnyLogEvent()
    {
        var keyVariable = "RIGHTSIZE_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(keyVariable, UpstreamKey);
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings =>
            {
                settings["Serilog:MinimumLevel:Default"] = "Verbose";
                settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose"; // its request lines carry the query string
                foreach (var tier in new[] { "small", "mid", "frontier" }) settings[$"RightSize:Upstreams:up-{tier}:ApiKeyEnv"] = keyVariable;
            },
            services => services.AddSingleton<ILogEventSink>(sink),
            upstream: options => options.RequiredApiKey = UpstreamKey);

        foreach (var extra in new[] { "", ""","stream":true""", ""","stream":true,"stream_options":{"include_usage":true}""" })
        {
            // Some clients send their key in the query string: ASP.NET Core's request lines carry it at Verbose.
            using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/chat/completions?api-key={ClientKey}") { Content = Json.Body(Json.Chat("cheap", Prompt, extra)) };
            request.Headers.Authorization = new("Bearer", ClientKey);
            using var response = await gateway.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            if (extra.Length == 0) Assert.Contains("purple elephants", body);
        }

        await gateway.WaitForStatsAsync(3);
        var completions = await WaitForCompletionsAsync(sink, 3);
        var logs = sink.RenderAll();

        Assert.True(sink.Events.Count > 3, "Verbose logging must have produced framework events too");
        Assert.DoesNotContain("CANARY", logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("purple elephants", logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(UpstreamKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientKey, logs, StringComparison.Ordinal);
        Assert.Contains("api-key=" + LogRedaction.Redacted, logs, StringComparison.Ordinal);
        foreach (var completion in completions)
        {
            Assert.Equal(LogEventLevel.Information, completion.Level);
            Assert.Equal("\"cheap\"", completion.Properties["Route"].ToString());
            Assert.Equal("\"small\"", completion.Properties["Tier"].ToString());
            Assert.Equal("\"sim-small\"", completion.Properties["Model"].ToString());
            Assert.Equal("200", completion.Properties["StatusCode"].ToString());
            Assert.Equal("\"-\"", completion.Properties["ErrorType"].ToString());
            Assert.True(decimal.Parse(completion.Properties["Cost"].ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.True(completion.Properties.ContainsKey("Savings"));
            Assert.True(completion.Properties.ContainsKey("PromptTokens"));
            Assert.Equal(32, completion.Properties[TraceContextEnricher.TraceIdProperty].ToString().Trim('"').Length);
            Assert.True(completion.Properties.ContainsKey(TraceContextEnricher.SpanIdProperty));
            Assert.True(completion.Properties.ContainsKey("RequestId"));
        }

        Environment.SetEnvironmentVariable(keyVariable, null);
    }

    [Fact]
    public async Task MalformedRequests_CarryingAKey_KeyInNoLogEventEvenAtVerbose()
    {
        // Kestrel refuses these before the gateway's code runs; its Debug event quotes the bad header
        // or request line whole, exception included.
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings =>
            {
                settings["Serilog:MinimumLevel:Default"] = "Verbose";
                settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose";
                settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Server.Kestrel"] = "Verbose";
            },
            services => services.AddSingleton<ILogEventSink>(sink));
        string[] requests =
        [
            $"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization : Bearer {ClientKey}\r\nContent-Length: 0\r\n\r\n",
            $"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {ClientKey}\rX\r\nContent-Length: 0\r\n\r\n",
            $"POST /v1/chat/completions?api-key={ClientKey} HTTP/1.1 junk\r\nHost: localhost\r\n\r\n",
        ];

        foreach (var request in requests)
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(gateway.BaseAddress.Host, gateway.BaseAddress.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
            using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
            Assert.StartsWith("HTTP/1.1 400", await reader.ReadLineAsync());
        }

        var logs = sink.RenderAll();
        Assert.Contains("Connection", logs, StringComparison.Ordinal); // Kestrel's own Verbose events are there
        Assert.DoesNotContain("CANARY", logs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Start_UpstreamUrlWithCredentials_RefusedWithoutRepeatingThem()
    {
        // Such a URL is refused at start-up (HttpClient would not send its credentials anyway); the
        // refusal must not repeat the password, and nothing logged on the way may hold it.
        const string Password = "CANARY-URL-PASSWORD-83e1";
        var sink = new MemorySink();

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TelemetryGateway.StartAsync(
            settings =>
            {
                settings["Serilog:MinimumLevel:Default"] = "Verbose";
                var url = new UriBuilder(settings["RightSize:Upstreams:up-small:BaseUrl"]!) { UserName = "proxy-user", Password = Password };
                settings["RightSize:Upstreams:up-small:BaseUrl"] = url.Uri.ToString().TrimEnd('/');
            },
            services => services.AddSingleton<ILogEventSink>(sink)));

        Assert.Contains("RightSize:Upstreams:up-small:BaseUrl", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, sink.RenderAll(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_NotStreamed_CompletionLineHasNoTimeToFirstChunk()
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));

        (await gateway.ChatAsync("cheap", "hello")).Response.EnsureSuccessStatusCode();
        (await gateway.ChatAsync("auto", "hello", ""","stream":true""")).Response.EnsureSuccessStatusCode();

        var completions = await WaitForCompletionsAsync(sink, 2);
        var plain = Assert.Single(completions, c => c.Properties["Route"].ToString() == "\"cheap\"");
        var streamed = Assert.Single(completions, c => c.Properties["Route"].ToString() == "\"auto\"");
        Assert.Equal("null", plain.Properties["TimeToFirstChunkMs"].ToString());
        Assert.True(double.Parse(streamed.Properties["TimeToFirstChunkMs"].ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Embeddings_CompletionLine_InputTokensAndNoMadeUpOutputZero()
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));

        using var response = await gateway.Http.PostAsync("routes/cheap/v1/embeddings", Json.Body("""{"model":"sim-frontier","input":"embed these few words"}"""));
        var body = await Json.ReadAsync(response);
        response.EnsureSuccessStatusCode();

        var completion = Assert.Single(await WaitForCompletionsAsync(sink, 1));
        Assert.Equal("\"embeddings\"", completion.Properties["Operation"].ToString());
        Assert.Equal(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), completion.Properties["PromptTokens"].ToString());
        Assert.Equal("null", completion.Properties["CompletionTokens"].ToString()); // as on the span and the token metric: embeddings have no output
    }

    [Fact]
    public async Task Stream_CutAfterItStarted_CompletionLineSays200ButErrorStreamCut()
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));
        gateway.Upstreams.Small.Fail("cut-after=2");

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "tell me a story", ""","stream":true""")) };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync()); // the gateway aborts the cut stream

        var completion = Assert.Single(await WaitForCompletionsAsync(sink, 1));
        Assert.Equal("200", completion.Properties["StatusCode"].ToString());
        Assert.Equal("\"stream-cut\"", completion.Properties["ErrorType"].ToString());
        Assert.Equal(LogEventLevel.Warning, completion.Level);
    }

    [Fact]
    public async Task Stream_CutAfterItStarted_OneAttemptFailedWarningForTheCutAttempt()
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));
        gateway.Upstreams.Small.Fail("cut-after=2");

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "tell me a story", ""","stream":true""")) };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
        await WaitForCompletionsAsync(sink, 1);

        var failed = Assert.Single(AttemptFailedEvents(sink));
        Assert.Equal(LogEventLevel.Warning, failed.Level);
        Assert.Equal("\"up-small\"", failed.Properties["Upstream"].ToString());
        Assert.Equal("\"response-cut\"", failed.Properties["Failure"].ToString());
        Assert.StartsWith("\"after the first byte reached the client", failed.Properties["Detail"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_SmallFailsMidServes_EachLineNamesItsUpstreamsRequestId()
    {
        // A client quotes the x-request-id its SDK saw; a provider's support asks for the failed call's.
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));
        gateway.Upstreams.Small.Fail("status=503");

        var (response, _) = await gateway.ChatAsync("cheap", "hello");
        var completion = Assert.Single(await WaitForCompletionsAsync(sink, 1));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var served = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.StartsWith("req_", served, StringComparison.Ordinal);
        Assert.Equal(served, completion.Properties["UpstreamRequestId"].ToString().Trim('"'));
        var failed = Assert.Single(AttemptFailedEvents(sink));
        var failedId = failed.Properties["UpstreamRequestId"].ToString().Trim('"');
        Assert.StartsWith("req_", failedId, StringComparison.Ordinal);
        Assert.NotEqual(served, failedId);
        Assert.Contains(failedId, failed.RenderMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attempt_UpstreamFailsAfterAWait_AttemptFailedSaysHowLongItTook()
    {
        // An operator tells a slow failure (a wait, then a 503) from a refusal at once by the attempt's duration.
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));
        gateway.Upstreams.Small.Fail("delay=300;status=503");

        var (response, _) = await gateway.ChatAsync("cheap", "hello");
        await WaitForCompletionsAsync(sink, 1);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var failed = Assert.Single(AttemptFailedEvents(sink));
        var durationMs = double.Parse(failed.Properties["DurationMs"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(durationMs >= 300, $"the attempt waited 300 ms for its 503, but event 200 says {durationMs} ms");
        Assert.Contains("after " + failed.Properties["DurationMs"] + " ms", failed.RenderMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtlpEndpointUnreachable_TheExportersFailureIsLogged()
    {
        // In a sidecar OTLP is the only way out for metrics and traces: a wrong endpoint must not go unnoticed.
        using var closed = new Resilience.ClosedPort(); // every export is refused
        var port = closed.Port;
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            services: services => services.AddSingleton<ILogEventSink>(sink),
            // Whether to export is decided as the services are registered: from the command line, not the harness's settings.
            args: [$"--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:{port}", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "--OTEL_BSP_SCHEDULE_DELAY=100"]);

        await gateway.ChatAsync("cheap", "hello");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        LogEvent? reported;
        while ((reported = OpenTelemetryReports(sink).FirstOrDefault(e => e.RenderMessage().Contains(port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))) is null
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(reported is not null, "No OpenTelemetry report naming the endpoint: " + string.Join(" | ", OpenTelemetryReports(sink).Select(e => e.RenderMessage())));
        Assert.True(reported.Level >= LogEventLevel.Warning);
        Assert.StartsWith("\"OpenTelemetry-", reported.Properties["Source"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reported.RenderMessage()); // the exception's first line, not its stack trace
    }

    [Fact]
    public async Task InstrumentOutsideTheGatewaysMeters_NoOpenTelemetryWarning()
    {
        // The SDK's own listener sees every instrument in the process and calls each one it was not
        // told about "ignored"; the gateway's meters are enabled by rules, so that report names no fault.
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(services: services => services.AddSingleton<ILogEventSink>(sink));
        using var unrelated = new System.Diagnostics.Metrics.Meter("RightSize.Tests.Unrelated." + Guid.NewGuid().ToString("N"));
        unrelated.CreateCounter<long>("rightsize.tests.unrelated").Add(1);

        await gateway.ChatAsync("cheap", "hello"); // a request, so the gateway's own instruments are used too
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        Assert.DoesNotContain(OpenTelemetryReports(sink), e => e.RenderMessage().Contains("MetricInstrumentIgnored", StringComparison.Ordinal));
        var metrics = await gateway.Http.GetStringAsync("metrics");
        Assert.Contains("rightsize_config_generation", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("rightsize_tests_unrelated", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attempt_UpstreamAnswers404PassedOn_OneAttemptFailedAtInformation()
    {
        // The client's answer, often its own error: logged, but not at the Warning an alert watches.
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));
        gateway.Upstreams.Small.Fail("status=404");

        var (response, _) = await gateway.ChatAsync("locked", "hello");
        await WaitForCompletionsAsync(sink, 1);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        var failed = Assert.Single(AttemptFailedEvents(sink));
        Assert.Equal(LogEventLevel.Information, failed.Level);
        Assert.Equal("\"small\"", failed.Properties["Tier"].ToString());
        Assert.Equal("\"upstream-404\"", failed.Properties["Failure"].ToString());
        Assert.Equal("\"answer passed on to the client\"", failed.Properties["Detail"].ToString());
    }

    [Fact]
    public async Task Attempt_CircuitOpenedByRefusedConnections_SkippedCallsDetailIsTheCircuitNotTheRefusal()
    {
        var sink = new MemorySink();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-23T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var closed = new ClosedPort();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings =>
            {
                settings["Serilog:MinimumLevel:Default"] = "Information";
                settings["RightSize:Upstreams:up-small:BaseUrl"] = closed.BaseUrl;
                settings["RightSize:Upstreams:up-small:CircuitBreaker:MinimumThroughput"] = "2";
                settings["RightSize:Upstreams:up-small:CircuitBreaker:FailureRatio"] = "1";
                settings["RightSize:Upstreams:up-small:CircuitBreaker:BreakDuration"] = "00:00:30";
            },
            services =>
            {
                services.AddSingleton<ILogEventSink>(sink);
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            });

        for (var i = 0; i < 3; i++) (await gateway.ChatAsync("cheap", "hello")).Response.EnsureSuccessStatusCode();
        await WaitForCompletionsAsync(sink, 3);

        var skipped = Assert.Single(AttemptFailedEvents(sink), e => e.Properties["Failure"].ToString() == "\"circuit-open\"");
        Assert.Equal("\"circuit open; upstream skipped, next trial in 30 s\"", skipped.Properties["Detail"].ToString());
    }

    [Fact]
    public async Task Chat_EveryTierFails_CompletionLineNamesNoTierAndNoModel()
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink),
            upstream: options =>
            {
                foreach (var model in options.Models) options.Faults[model] = FaultScript.Parse("status=503");
            });

        var (response, _) = await gateway.ChatAsync("cheap", "hello");

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var completion = Assert.Single(await WaitForCompletionsAsync(sink, 1));
        Assert.Equal("\"-\"", completion.Properties["Tier"].ToString());
        Assert.Equal("\"-\"", completion.Properties["Model"].ToString());
        Assert.Equal("\"small\"", completion.Properties["DecidedTier"].ToString()); // what the policy chose, though nothing served it
        Assert.Equal("null", completion.Properties["Confidence"].ToString()); // no classifier on this route
        Assert.Equal(LogEventLevel.Warning, completion.Level);
    }

    [Fact]
    public async Task Upstream_RefusesTheGatewaysKey_CompletionLineIsAWarning()
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink),
            upstream: options =>
            {
                foreach (var model in options.Models) options.Faults[model] = FaultScript.Parse("status=401");
            });

        var (response, _) = await gateway.ChatAsync("cheap", "hello");

        Assert.Equal(System.Net.HttpStatusCode.BadGateway, response.StatusCode); // held back: the key refused is the gateway's
        var completion = Assert.Single(await WaitForCompletionsAsync(sink, 1));
        Assert.Equal(LogEventLevel.Warning, completion.Level);
    }

    [Fact]
    public async Task Client_AsksForAnUnknownTier_CompletionLineStaysInformation()
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));

        using var request = Json.ChatForTier("cheap", "hello", "enormous");
        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var completion = Assert.Single(await WaitForCompletionsAsync(sink, 1));
        Assert.Equal(LogEventLevel.Information, completion.Level);
        Assert.Contains("reason -, escalations []", completion.RenderMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal); // not "reason , "
    }

    [Theory]
    [InlineData("""{"model":"auto","messages":[""", 400, "invalid_json", "-")]
    [InlineData("""{"model":"no-such-model","messages":[{"role":"user","content":"CANARY-REFUSED"}]}""", 404, "model_not_found", "model")]
    public async Task Request_RefusedBeforeItHadARoute_OneRejectedLineWithCodeAndNoBody(string body, int status, string code, string param)
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));

        using var response = await gateway.Http.PostAsync("v1/chat/completions", Json.Body(body));
        Assert.Equal(status, (int)response.StatusCode);

        var rejected = await WaitForEventAsync(sink, "RequestRejected");
        Assert.Equal(LogEventLevel.Information, rejected.Level);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), rejected.Properties["StatusCode"].ToString());
        Assert.Equal($"\"{code}\"", rejected.Properties["Code"].ToString());
        Assert.Equal($"\"{param}\"", rejected.Properties["Param"].ToString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-request-id")), rejected.Properties["RequestId"].ToString().Trim('"'));
        Assert.DoesNotContain("CANARY", sink.RenderAll(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_RefusedForWantOfBodyRoom_RejectedLineAtWarning()
    {
        // The gateway's own refusal: an alert on Warning must see it, as it sees a 5xx completion.
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings =>
            {
                settings["Serilog:MinimumLevel:Default"] = "Information";
                settings["RightSize:Gateway:MaxRequestBodyBytes"] = "65536";
                settings["RightSize:Gateway:MaxBufferedRequestBytes"] = "102400";
            },
            services => services.AddSingleton<ILogEventSink>(sink));
        gateway.Upstreams.Small.Fail("delay=1500");
        var prompt = new string('a', 60 * 1024);

        var first = gateway.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", prompt)));
        while (gateway.Upstreams.Small.Journal.TotalReceived == 0) await Task.Delay(20);
        using (var second = await gateway.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", prompt))))
        {
            Assert.Equal(503, (int)second.StatusCode);
        }

        var rejected = await WaitForEventAsync(sink, "RequestRejected");
        Assert.Equal(LogEventLevel.Warning, rejected.Level);
        Assert.Equal("\"gateway_busy\"", rejected.Properties["Code"].ToString());
        using var firstResponse = await first;
    }

    [Fact]
    public async Task Client_LeavesBeforeTheAnswer_CompletionLineSays499ClientAbort()
    {
        var sink = new MemorySink();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings => settings["Serilog:MinimumLevel:Default"] = "Information",
            services => services.AddSingleton<ILogEventSink>(sink));
        gateway.Upstreams.Small.Fail("delay=60000");
        using var leave = new CancellationTokenSource();

        // Leave only once the upstream has the request: a client that left while the gateway was
        // still reading its body would end the request before it was forwarded, and that intake
        // path writes no completion line.
        var post = gateway.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")), leave.Token);
        await gateway.Upstreams.Small.Journal.WaitForRequestAsync(TestUpstreams.SmallModel, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await leave.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);

        var completion = Assert.Single(await WaitForCompletionsAsync(sink, 1));
        Assert.Equal("499", completion.Properties["StatusCode"].ToString());
        Assert.Equal("\"client-abort\"", completion.Properties["ErrorType"].ToString());
        Assert.Equal(LogEventLevel.Information, completion.Level);
    }

    [Fact]
    public async Task Attempt_RefusedConnection_LoggedOnceByTheGatewayWithTheExceptionsMessage()
    {
        var sink = new MemorySink();
        using var closed = new ClosedPort();
        await using var gateway = await TelemetryGateway.StartAsync(
            settings =>
            {
                settings["Serilog:MinimumLevel:Default"] = "Information";
                settings["RightSize:Upstreams:up-small:BaseUrl"] = closed.BaseUrl;
            },
            services => services.AddSingleton<ILogEventSink>(sink));

        (await gateway.ChatAsync("cheap", "hello")).Response.EnsureSuccessStatusCode();
        await WaitForCompletionsAsync(sink, 1);

        var failed = Assert.Single(sink.Events, e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains("AttemptFailed"));
        Assert.Equal(LogEventLevel.Warning, failed.Level);
        Assert.Equal("\"connect-refused\"", failed.Properties["Failure"].ToString());
        Assert.Contains("refused", failed.Properties["Detail"].ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(sink.Events, e => e.Level >= LogEventLevel.Warning
            && e.Properties.TryGetValue("SourceContext", out var source) && source.ToString() == $"\"{SerilogSetup.YarpForwarderCategory}\"");
    }

    [Fact]
    public void LogRedaction_Default_DropsContentAndMasksCredentials()
    {
        var logEvent = Event(("Prompt", Prompt), ("Authorization", "Bearer " + ClientKey), ("Route", "auto"));

        new LogRedaction(includeContent: false).Enrich(logEvent, null!);

        Assert.False(logEvent.Properties.ContainsKey("Prompt"));
        Assert.Equal($"\"{LogRedaction.Redacted}\"", logEvent.Properties["Authorization"].ToString());
        Assert.Equal("\"auto\"", logEvent.Properties["Route"].ToString());
    }

    [Theory]
    [InlineData("api-key")]
    [InlineData("x-api-key")]
    [InlineData("X-Goog-Api-Key")]
    [InlineData("Ocp-Apim-Subscription-Key")]
    [InlineData("Proxy-Authorization")]
    public void LogRedaction_PropertyNamedAfterAKeyHeader_Masked(string header)
    {
        var logEvent = Event((header, ClientKey));

        new LogRedaction(includeContent: true).Enrich(logEvent, null!);

        Assert.Equal($"\"{LogRedaction.Redacted}\"", logEvent.Properties[header].ToString());
    }

    [Fact]
    public void LogRedaction_IncludeContent_KeepsContentStillMasksCredentials()
    {
        var logEvent = Event(("Prompt", Prompt), ("ApiKey", UpstreamKey));

        new LogRedaction(includeContent: true).Enrich(logEvent, null!);

        Assert.Contains("purple elephants", logEvent.Properties["Prompt"].ToString());
        Assert.Equal($"\"{LogRedaction.Redacted}\"", logEvent.Properties["ApiKey"].ToString());
    }

    [Fact]
    public void LogRedaction_UrlsWithAndWithoutCredentials_OnlyTheCredentialsMasked()
    {
        var logEvent = Event(
            ("targetUrl", "https://proxy-user:s3cr%40t@llm.example:8443/v1/chat/completions"),
            ("Message", "to http://a:b@h1/v1 then http://h2/v1/x@y and ftp://c@h3"),
            ("Plain", "http://127.0.0.1:8000/v1/models?user=me@example.com"));

        new LogRedaction(includeContent: false).Enrich(logEvent, null!);

        Assert.Equal("\"https://[redacted]@llm.example:8443/v1/chat/completions\"", logEvent.Properties["targetUrl"].ToString());
        Assert.Equal("\"to http://[redacted]@h1/v1 then http://h2/v1/x@y and ftp://[redacted]@h3\"", logEvent.Properties["Message"].ToString());
        Assert.Equal("\"http://127.0.0.1:8000/v1/models?user=me@example.com\"", logEvent.Properties["Plain"].ToString());
    }

    private static LogEvent Event(params (string Name, string Value)[] properties) => new(
        DateTimeOffset.UnixEpoch,
        LogEventLevel.Information,
        exception: null,
        new MessageTemplateParser().Parse("test"),
        properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))));

    private static List<LogEvent> AttemptFailedEvents(MemorySink sink) =>
        sink.Events.Where(e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains("AttemptFailed", StringComparison.Ordinal)).ToList();

    private static async Task<LogEvent> WaitForEventAsync(MemorySink sink, string eventName)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = sink.Events.FirstOrDefault(e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains(eventName, StringComparison.Ordinal));
            if (found is not null) return found;
            Assert.True(DateTime.UtcNow < deadline, $"No {eventName} event: " + sink.RenderAll());
            await Task.Delay(25);
        }
    }

    private static List<LogEvent> OpenTelemetryReports(MemorySink sink) =>
        [.. sink.Events.Where(e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains("OpenTelemetryReported", StringComparison.Ordinal))];

    private static async Task<List<LogEvent>> WaitForCompletionsAsync(MemorySink sink, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var completions = sink.Events.Where(e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains("RequestCompleted")).ToList();
            if (completions.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(completions.Count == count, $"{completions.Count} completion events of {sink.Events.Count}: " + sink.RenderAll()[..Math.Min(4000, sink.RenderAll().Length)]);
                return completions;
            }

            await Task.Delay(25);
        }
    }
}
