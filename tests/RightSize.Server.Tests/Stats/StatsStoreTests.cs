using System.Text.Json;
using Microsoft.Extensions.Options;
using RightSize.OpenAI.Usage;
using RightSize.Server.Observability;
using RightSize.Server.Stats;
using RightSize.Server.Telemetry;
using RightSize.Server.Usage;

namespace RightSize.Server.Tests.Stats;

public sealed class StatsStoreTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public void Record_RoutesAndTiers_TotalsPerRouteTierAndTierMix()
    {
        var (store, _) = Create();
        Record(store, Records.Served("auto", "small", new TokenUsage(1_000, 100, CachedPromptTokens: 400, ReasoningTokens: 30)));
        Record(store, Records.Served("auto", "small", new TokenUsage(2_000, 200, CachedPromptTokens: 600, ReasoningTokens: 50)));
        Record(store, Records.Served("auto", "frontier", new TokenUsage(500, 50)));
        Record(store, Records.Served("support", "mid", new TokenUsage(100, 10, CachedPromptTokens: 64, ReasoningTokens: 5)));

        var snapshot = store.Snapshot();

        Assert.Equal(4, snapshot.Total.Requests);
        Assert.Equal(3_600, snapshot.Total.PromptTokens);
        Assert.Equal(360, snapshot.Total.CompletionTokens);
        Assert.Equal((1_064, 85), (snapshot.Total.CachedPromptTokens, snapshot.Total.ReasoningTokens));
        Assert.Equal((1_064, 85), (snapshot.Window.CachedPromptTokens, snapshot.Window.ReasoningTokens));
        Assert.Equal(2, snapshot.TotalTiers["small"]);
        Assert.Equal(1, snapshot.TotalTiers["mid"]);
        Assert.Equal(1, snapshot.TotalTiers["frontier"]);
        var autoSmall = Assert.Single(snapshot.Entries, e => e.Route == "auto" && e.Tier == "small");
        Assert.Equal(2, autoSmall.Total.Requests);
        Assert.Equal((1_000, 80), (autoSmall.Total.CachedPromptTokens, autoSmall.Total.ReasoningTokens));
        Assert.Equal(3, snapshot.Entries.Count);
    }

    [Fact]
    public void Record_Cost_SumsExactDecimalsAndSavings()
    {
        var (store, _) = Create();
        var small = Records.Served("auto", "small", new TokenUsage(123_456, 7_890));
        var frontier = Records.Served("auto", "frontier", new TokenUsage(1_000, 1_000));
        Record(store, small);
        Record(store, frontier);

        var total = store.Snapshot().Total;

        // small: 0.0069618 at 0.310032 frontier-equivalent; frontier: 0.01 both ways.
        Assert.Equal(0.0069618m + 0.01m, total.Cost);
        Assert.Equal(0.310032m + 0.01m, total.FrontierEquivalentCost);
        Assert.Equal(0.3030702m, total.Savings);
        Assert.Equal(2, total.Priced);
    }

    [Fact]
    public void Record_NoUsage_CountedAsUsageMissingNotAsZeroCost()
    {
        var (store, _) = Create();
        Record(store, Records.Served("auto", "mid", usage: null));
        Record(store, Records.Served("auto", "mid", new TokenUsage(1_000_000, 0)));

        var total = store.Snapshot().Total;

        Assert.Equal(2, total.Requests);
        Assert.Equal(1, total.UsageMissing);
        Assert.Equal(1, total.Priced);
        Assert.Equal(0.40m, total.Cost);
    }

    // Usage is unknown only when some attempt may have been billed: sent, and answered 2xx or not at
    // all. An upstream's error status (held back, the client getting the gateway's 503/502) bills nothing.
    [Theory]
    [InlineData("circuit-open", "connect-refused", 0)]
    [InlineData("circuit-open", "tls-error", 0)]
    [InlineData("circuit-open", "timeout", 1)]
    [InlineData("upstream-503", "upstream-503", 0)]
    [InlineData("upstream-429", "upstream-502", 0)]
    [InlineData("upstream-401", "upstream-302", 0)]
    [InlineData("context-length", "upstream-500", 0)]
    [InlineData("upstream-503", "timeout", 1)]
    [InlineData("upstream-503", "response-cut", 1)]
    [InlineData("upstream-429", "connection-reset", 1)]
    public void Record_EveryAttemptFailed_UsageMissingOnlyWhenOneMayHaveBeenBilled(string first, string second, long usageMissing)
    {
        var (store, _) = Create();
        var failed = Records.Served("auto", "small", usage: null, status: 503);
        failed.Attempts.Clear();
        failed.Attempts.Add(Records.Attempt(0, "small", first));
        failed.Attempts.Add(Records.Attempt(1, "mid", second));
        Record(store, failed);

        Assert.Equal(usageMissing, store.Snapshot().Total.UsageMissing);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(422)]
    public void Record_UpstreamsErrorPassedOnToTheClient_NotCountedAsUsageMissing(int status)
    {
        // A 400 for a bad parameter or a 404 for a retired model, passed on as it came: no failure of
        // the gateway's, but no tokens were generated either, so nothing was billed.
        var (store, _) = Create();
        var passedOn = Records.Served("auto", "mid", usage: null, status: status);
        passedOn.Attempts[0].StatusCode = status;
        Record(store, passedOn);

        var total = store.Snapshot().Total;

        Assert.Equal(1, total.Errors);
        Assert.Equal(0, total.UsageMissing);
    }

    [Fact]
    public void Record_RefusedBeforeAnyUpstream_NotCountedAsUsageMissing()
    {
        var (store, _) = Create();
        var refused = Records.Served("auto", "mid", usage: null, status: 400);
        refused.Attempts.Clear();
        Record(store, refused);

        var total = store.Snapshot().Total;

        Assert.Equal(1, total.Requests);
        Assert.Equal(1, total.Errors);
        Assert.Equal(0, total.UsageMissing);
    }

    [Fact]
    public void Record_PassthroughWithUsage_TokensCountedCostUnpriced()
    {
        var (store, _) = Create();
        var record = Records.Served("auto", "mid", new TokenUsage(10, 20));
        record.Route = null;
        record.Tier = null;
        record.Prices = null;
        record.FrontierPrices = null;
        Record(store, record);

        var snapshot = store.Snapshot();

        var entry = Assert.Single(snapshot.Entries);
        Assert.Equal(StatsStore.PassthroughRoute, entry.Route);
        Assert.Equal(StatsStore.NoTier, entry.Tier);
        Assert.Equal(1, snapshot.Total.Unpriced);
        Assert.Equal(30, snapshot.Total.PromptTokens + snapshot.Total.CompletionTokens);
        Assert.Equal(0m, snapshot.Total.Cost);
    }

    [Fact]
    public void Record_FailedAttemptsThenSuccess_EscalationsByReason()
    {
        var (store, _) = Create();
        var record = Records.Served("auto", "frontier", new TokenUsage(10, 10), reason: "fallback:upstream-503");
        record.Attempts.Clear();
        record.Attempts.Add(Records.Attempt(0, "small", "upstream-503"));
        record.Attempts.Add(Records.Attempt(1, "mid", "timeout"));
        record.Attempts.Add(Records.Attempt(2, "frontier", null));
        Record(store, record);
        Record(store, Records.Served("auto", "frontier", new TokenUsage(10, 10), reason: "low-confidence"));
        var lastFailed = Records.Served("auto", "frontier", null, status: 502);
        lastFailed.Attempts[0].Failure = "upstream-503";
        Record(store, lastFailed);

        var total = store.Snapshot().Total;

        Assert.Equal(1, total.Escalations["upstream-503"]);
        Assert.Equal(1, total.Escalations["timeout"]);
        Assert.Equal(1, total.Escalations["low-confidence"]);
        Assert.Equal(3, total.Escalations.Count);
        Assert.Equal(1, total.Errors);
    }

    [Fact]
    public void Record_LowConfidenceThenRetriedAfter429_StillOneLowConfidenceEscalation()
    {
        var (store, _) = Create();
        var record = Records.Served("auto", "frontier", new TokenUsage(10, 10), reason: "fallback:upstream-429", decisionReason: "low-confidence");
        record.Attempts.Clear();
        record.Attempts.Add(Records.Attempt(0, "frontier", "upstream-429"));
        record.Attempts.Add(Records.Attempt(1, "frontier", null));
        Record(store, record);

        var escalations = store.Snapshot().Total.Escalations;

        // The retry of the same tier moved the request nowhere; the policy's escalation is still one.
        Assert.Equal(1, Assert.Single(escalations, e => e.Key == "low-confidence").Value);
        Assert.Single(escalations);
    }

    [Fact]
    public void Record_ClientAbortsBeforeAndAfterTheFirstByte_BothErrorsAsOnTheMetrics()
    {
        var (store, _) = Create();
        var beforeAnswer = Records.Served("auto", "small", usage: null, status: 499);
        beforeAnswer.ClientAborted = true;
        var midStream = Records.Served("auto", "small", usage: null, status: 200);
        midStream.ClientAborted = true;
        Record(store, beforeAnswer);
        Record(store, midStream);
        Record(store, Records.Served("auto", "small", new TokenUsage(10, 10)));

        var total = store.Snapshot().Total;

        // The same event, the client leaving, is an error whatever the status already sent (error.type client-abort).
        Assert.Equal(2, total.ClientAborts);
        Assert.Equal(2, total.Errors);
    }

    [Fact]
    public void Snapshot_AfterTheWindow_WindowEmptyTotalsKept()
    {
        var (store, clock) = Create(windowMinutes: 15);
        Record(store, Records.Served("auto", "small", new TokenUsage(10, 10)));
        clock.Advance(TimeSpan.FromMinutes(5));
        Record(store, Records.Served("auto", "small", new TokenUsage(10, 10)));

        Assert.Equal(2, store.Snapshot().Window.Requests);
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, store.Snapshot().Window.Requests);
        clock.Advance(TimeSpan.FromMinutes(5));
        var snapshot = store.Snapshot();
        Assert.Equal(0, snapshot.Window.Requests);
        Assert.Equal(2, snapshot.Total.Requests);
    }

    [Fact]
    public void Record_SlotComesRoundAgain_OldMinuteClearedFirst()
    {
        var (store, clock) = Create(windowMinutes: 3);
        Record(store, Records.Served("auto", "small", new TokenUsage(10, 10)));
        Record(store, Records.Served("auto", "small", new TokenUsage(10, 10)));
        clock.Advance(TimeSpan.FromMinutes(3));
        Record(store, Records.Served("auto", "small", new TokenUsage(10, 10)));

        var snapshot = store.Snapshot();

        Assert.Equal(1, snapshot.Window.Requests);
        Assert.Equal(3, snapshot.Total.Requests);
    }

    [Fact]
    public void Snapshot_Timeline_OnePointPerMinuteOldestFirst()
    {
        var (store, clock) = Create(windowMinutes: 4);
        Record(store, Records.Served("auto", "small", new TokenUsage(1_000_000, 0)));
        clock.Advance(TimeSpan.FromMinutes(2));
        Record(store, Records.Served("auto", "mid", new TokenUsage(1_000_000, 0)));
        Record(store, Records.Served("auto", "mid", new TokenUsage(1_000_000, 0)));

        var timeline = store.Snapshot().Timeline;

        Assert.Equal(4, timeline.Length);
        Assert.Equal(new[] { 0L, 1, 0, 2 }, timeline.Select(p => p.Requests));
        Assert.Equal(0.05m, timeline[1].Cost);
        Assert.Equal(2.00m, timeline[1].FrontierEquivalentCost);
        Assert.Equal(0.80m, timeline[3].Cost);
        Assert.Equal(2, timeline[3].Tiers["mid"]);
        Assert.True(timeline[3].MinuteStart > timeline[0].MinuteStart);
        Assert.Equal(0, timeline[3].MinuteStart.Second);
    }

    [Fact]
    public void Snapshot_Latency_PercentilesWithinOneBucket()
    {
        var (store, _) = Create();
        for (var ms = 1; ms <= 1_000; ms++) Record(store, Records.Served("auto", "small", new TokenUsage(1, 1), durationMs: ms));

        var latency = store.Snapshot().Total.Latency;

        Assert.Equal(1_000, latency.Count);
        Assert.InRange(latency.Percentile(0.50), 500 * 0.875, 500 * 1.125);
        Assert.InRange(latency.Percentile(0.99), 990 * 0.875, 1_000);
        Assert.Equal(1_000, latency.MaxMs);
    }

    [Fact]
    public async Task Record_Concurrently_NothingLost()
    {
        var (store, _) = Create();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++) Record(store, Records.Served(t % 2 == 0 ? "auto" : "support", i % 3 == 0 ? "small" : "mid", new TokenUsage(1, 1)));
        })));

        var snapshot = store.Snapshot();

        Assert.Equal(8_000, snapshot.Total.Requests);
        Assert.Equal(8_000, snapshot.Window.Requests);
        Assert.Equal(8_000, snapshot.Entries.Sum(e => e.Total.Requests));
    }

    [Fact]
    public void WriteJson_Snapshot_DocumentedShapeWithExactNumbers()
    {
        var (store, _) = Create(windowMinutes: 5, currency: "eur");
        Record(store, Records.Served("auto", "small", new TokenUsage(123_456, 7_890, CachedPromptTokens: 3_456, ReasoningTokens: 890), durationMs: 40));
        Record(store, Records.Served("auto", "mid", usage: null, durationMs: 80));

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) StatsJsonWriter.Write(writer, store.Snapshot());
        var root = JsonDocument.Parse(buffer.ToArray()).RootElement;

        Assert.Equal("EUR", root.GetProperty("currency").GetString());
        Assert.Equal(5, root.GetProperty("windowMinutes").GetInt32());
        var total = root.GetProperty("total");
        Assert.Equal(2, total.GetProperty("requests").GetInt64());
        Assert.Equal(1, total.GetProperty("usageMissing").GetInt64());
        Assert.Equal(0.0069618m, total.GetProperty("cost").GetDecimal());
        // The frontier-equivalent prices the 3,456 cached tokens at the frontier's cached price.
        Assert.Equal(0.304848m, total.GetProperty("frontierCost").GetDecimal());
        Assert.Equal(0.2978862m, total.GetProperty("savings").GetDecimal());
        Assert.Equal(123_456, total.GetProperty("tokens").GetProperty("prompt").GetInt64());
        Assert.Equal(3_456, total.GetProperty("tokens").GetProperty("cachedPrompt").GetInt64());
        Assert.Equal(890, total.GetProperty("tokens").GetProperty("reasoning").GetInt64());
        Assert.Equal(1, total.GetProperty("tiers").GetProperty("small").GetInt64());
        Assert.Equal(2, total.GetProperty("latencyMs").GetProperty("count").GetInt64());
        Assert.True(total.GetProperty("latencyMs").GetProperty("p99").GetDouble() > 40);
        Assert.Equal(2, root.GetProperty("window").GetProperty("requests").GetInt64());
        Assert.Equal(2, root.GetProperty("routes").GetArrayLength());
        Assert.Equal("auto", root.GetProperty("routes")[0].GetProperty("route").GetString());
        Assert.Equal(5, root.GetProperty("timeline").GetArrayLength());
        Assert.Equal(2, root.GetProperty("timeline")[4].GetProperty("requests").GetInt64());
    }

    private static (StatsStore Store, ManualTimeProvider Clock) Create(int windowMinutes = 15, string currency = "USD")
    {
        var clock = new ManualTimeProvider(Start);
        var options = Options.Create(new TelemetryOptions { StatsWindowMinutes = windowMinutes, Currency = currency });
        return (new StatsStore(clock, options), clock);
    }

    private static void Record(StatsStore store, RequestRecord record)
    {
        var priced = CostCalculator.TryCompute(record, out var cost);
        store.Record(record, priced, cost);
    }
}
