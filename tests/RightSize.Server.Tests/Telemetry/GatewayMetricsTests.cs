using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using RightSize.Server.Configuration;
using RightSize.Server.Endpoints;
using RightSize.Server.Forwarding;
using RightSize.Server.Observability;
using RightSize.Server.Telemetry;
using RightSize.Server.Tests.Stats;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Telemetry;

public sealed class GatewayMetricsTests
{
    [Fact]
    public void RecordCompleted_AfterAReloadRenamedTheModel_LabelledAsTheRequestWasServed()
    {
        // A stream served by the mid tier under generation 1 ends after a reload that renamed the
        // tier's model: its model is still a configured one, not a name only a client gave.
        var configuration = SampleConfiguration.Configuration();
        using var store = SampleConfiguration.Store(configuration);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new GatewayMetrics(services.GetRequiredService<IMeterFactory>(), Options.Create(new TelemetryOptions()), store, TimeProvider.System, new RequestBodyBudget(1), new HeldResponseBudget(1));
        using var duration = new MetricCollector<double>(services.GetRequiredService<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.OperationDuration);
        var servedUnderGenerationOne = Served("gpt-4.1-mini", store); // the sample's mid tier model

        configuration["RightSize:Tiers:mid:Model"] = "gpt-4.1-mini-2025";
        configuration.Reload();
        metrics.RecordCompleted(servedUnderGenerationOne, priced: false, default);

        Assert.Equal(2, store.Current.Generation);
        Assert.Equal(servedUnderGenerationOne.Model, duration.LastMeasurement!.Tags[TelemetryTags.ResponseModel]);
    }

    [Theory]
    [InlineData(404, "upstream-404")]
    [InlineData(400, "upstream-400")]
    [InlineData(418, "upstream-418")]
    public void RecordAttempt_UpstreamsErrorPassedOnToTheClient_CountedWithItsStatusAsErrorType(int status, string errorType)
    {
        using var store = SampleConfiguration.Store(SampleConfiguration.Configuration());
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new GatewayMetrics(services.GetRequiredService<IMeterFactory>(), Options.Create(new TelemetryOptions()), store, TimeProvider.System, new RequestBodyBudget(1), new HeldResponseBudget(1));
        using var attempts = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), TelemetryNames.MeterName, TelemetryNames.Attempts);
        var request = Served("gpt-4.1-mini", store);
        var attempt = request.Attempts[0];
        attempt.StatusCode = status; // passed on as it came: no failure of the gateway's, and the client got it
        request.StatusCode = status;

        metrics.RecordAttempt(request, attempt);

        Assert.Null(attempt.Failure);
        Assert.Equal(errorType, attempts.LastMeasurement!.Tags[TelemetryTags.ErrorType]);
    }

    [Fact]
    public void ConfigGeneration_AfterAnAcceptedAndARejectedReload_TheGenerationInForce()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = SampleConfiguration.Store(configuration);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var generation = new MetricCollector<int>(factory, TelemetryNames.MeterName, TelemetryNames.ConfigGeneration);
        _ = new GatewayMetrics(factory, Options.Create(new TelemetryOptions()), store, TimeProvider.System, new RequestBodyBudget(1), new HeldResponseBudget(1));

        configuration["RightSize:Routes:auto:Threshold"] = "0.8";
        configuration.Reload(); // accepted: generation 2
        configuration["RightSize:Routes:auto:MaxTier"] = "huge";
        configuration.Reload(); // rejected: generation 2 stays in force
        generation.RecordObservableInstruments();

        Assert.Equal("{generation}", generation.Instrument!.Unit);
        Assert.Equal(2, generation.LastMeasurement!.Value);
    }

    [Fact]
    public void ConfigRejected_WhileTheConfigurationLoadedIsRejected_OneUntilOneIsPutInForce()
    {
        var configuration = SampleConfiguration.Configuration();
        using var store = SampleConfiguration.Store(configuration);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var rejected = new MetricCollector<int>(factory, TelemetryNames.MeterName, TelemetryNames.ConfigRejected);
        _ = new GatewayMetrics(factory, Options.Create(new TelemetryOptions()), store, TimeProvider.System, new RequestBodyBudget(1), new HeldResponseBudget(1));
        var seen = new List<int>();
        void Read()
        {
            rejected.RecordObservableInstruments();
            seen.Add(rejected.LastMeasurement!.Value);
        }

        Read();
        configuration["RightSize:Routes:auto:MaxTier"] = "huge";
        configuration.Reload(); // rejected
        Read();
        configuration["RightSize:Routes:auto:MaxTier"] = "frontier";
        configuration.Reload(); // fixed: in force
        Read();

        Assert.Equal([0, 1, 0], seen);
    }

    [Fact]
    public void Uptime_SecondsSinceTheMetricsStarted()
    {
        using var store = SampleConfiguration.Store(SampleConfiguration.Configuration());
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var uptime = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.Uptime);
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        _ = new GatewayMetrics(factory, Options.Create(new TelemetryOptions()), store, time, new RequestBodyBudget(1), new HeldResponseBudget(1));

        time.Advance(TimeSpan.FromMinutes(90));
        uptime.RecordObservableInstruments();

        Assert.Equal("s", uptime.Instrument!.Unit);
        Assert.Equal(5400, uptime.LastMeasurement!.Value, 6);
    }

    [Fact]
    public void InitialiseCostSeries_FixedTierAClientCannotOverride_OnlyTheTiersThatCanServe()
    {
        // premium is always frontier; pinned is mid and may fall back to frontier; open is mid
        // unless a client's x-rightsize-tier asks for small, which it may.
        var values = SampleConfiguration.With(
            ("RightSize:Routes:premium:Tier", "frontier"),
            ("RightSize:Routes:premium:AllowTierOverride", "false"),
            ("RightSize:Routes:pinned:Tier", "mid"),
            ("RightSize:Routes:pinned:AllowTierOverride", "false"),
            ("RightSize:Routes:open:Tier", "mid"));
        using var store = SampleConfiguration.Store(SampleConfiguration.Configuration(values));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var cost = new MetricCollector<double>(factory, TelemetryNames.MeterName, TelemetryNames.Cost);
        var metrics = new GatewayMetrics(factory, Options.Create(new TelemetryOptions()), store, TimeProvider.System, new RequestBodyBudget(1), new HeldResponseBudget(1));

        metrics.InitialiseCostSeries(store.Current);

        string[] TiersOf(string route) => [.. cost.GetMeasurementSnapshot()
            .Where(m => Equals(m.Tags[TelemetryTags.Route], route))
            .Select(m => (string)m.Tags[TelemetryTags.Tier]!)
            .Order(StringComparer.Ordinal)];
        Assert.Equal(["frontier"], TiersOf("premium"));
        Assert.Equal(["frontier", "mid"], TiersOf("pinned"));
        Assert.Equal(["frontier", "mid", "small"], TiersOf("open"));
        Assert.Equal(["mid", "small"], TiersOf("support")); // MaxTier mid
        Assert.All(cost.GetMeasurementSnapshot(), m => Assert.Equal(0, m.Value));
    }

    private static RequestRecord Served(string model, GatewaySnapshotStore store)
    {
        var record = new RequestRecord
        {
            RequestId = "req-1",
            Operation = "chat",
            StartTimestamp = Stopwatch.GetTimestamp(),
            Snapshot = store.Current,
            Route = "auto",
            RequestedModel = "auto",
            Tier = "mid",
            Model = model,
            StatusCode = 200,
            Duration = TimeSpan.FromMilliseconds(5),
        };
        record.Attempts.Add(new AttemptRecord { Index = 0, Tier = "mid", Upstream = "local", Model = model, StatusCode = 200 });
        return record;
    }
}
