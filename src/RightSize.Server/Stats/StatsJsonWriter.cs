using System.Text.Json;

namespace RightSize.Server.Stats;

/// <summary>
/// Writes a <see cref="StatsSnapshot"/> as the <c>GET /rightsize/stats</c> JSON (shape in
/// <c>docs/telemetry.md</c>). Money is written as exact decimals; latencies in milliseconds.
/// </summary>
internal static class StatsJsonWriter
{
    public static void Write(Utf8JsonWriter writer, StatsSnapshot snapshot)
    {
        writer.WriteStartObject();
        writer.WriteString("startedAt", snapshot.StartedAt);
        writer.WriteString("generatedAt", snapshot.GeneratedAt);
        writer.WriteNumber("windowMinutes", snapshot.WindowMinutes);
        writer.WriteString("currency", snapshot.Currency);

        writer.WritePropertyName("total");
        WriteSummary(writer, snapshot.Total, snapshot.TotalTiers);
        writer.WritePropertyName("window");
        WriteSummary(writer, snapshot.Window, snapshot.WindowTiers);

        writer.WriteStartArray("routes");
        foreach (var entry in snapshot.Entries)
        {
            writer.WriteStartObject();
            writer.WriteString("route", entry.Route);
            writer.WriteString("tier", entry.Tier);
            writer.WritePropertyName("total");
            WriteSummary(writer, entry.Total, tiers: null);
            writer.WritePropertyName("window");
            WriteSummary(writer, entry.Window, tiers: null);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("timeline");
        foreach (var point in snapshot.Timeline)
        {
            writer.WriteStartObject();
            writer.WriteString("minute", point.MinuteStart);
            writer.WriteNumber("requests", point.Requests);
            writer.WriteNumber("cost", point.Cost);
            writer.WriteNumber("frontierCost", point.FrontierEquivalentCost);
            writer.WriteNumber("savings", point.Savings);
            WriteCounts(writer, "tiers", point.Tiers);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter writer, StatsAccumulator stats, SortedDictionary<string, long>? tiers)
    {
        writer.WriteStartObject();
        writer.WriteNumber("requests", stats.Requests);
        writer.WriteNumber("errors", stats.Errors);
        writer.WriteNumber("clientAborts", stats.ClientAborts);
        writer.WriteNumber("usageMissing", stats.UsageMissing);
        writer.WriteNumber("unpriced", stats.Unpriced);
        writer.WriteNumber("priced", stats.Priced);
        writer.WriteStartObject("tokens");
        writer.WriteNumber("prompt", stats.PromptTokens);
        writer.WriteNumber("completion", stats.CompletionTokens);
        writer.WriteNumber("cachedPrompt", stats.CachedPromptTokens);
        writer.WriteNumber("reasoning", stats.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteNumber("cost", stats.Cost);
        writer.WriteNumber("frontierCost", stats.FrontierEquivalentCost);
        writer.WriteNumber("savings", stats.Savings);
        writer.WriteNumber("savingsRatio", stats.FrontierEquivalentCost > 0 ? Math.Round(stats.Savings / stats.FrontierEquivalentCost, 4) : 0m);
        if (tiers is not null) WriteCounts(writer, "tiers", tiers);
        writer.WriteStartObject("escalations");
        foreach (var (reason, count) in new SortedDictionary<string, long>(stats.Escalations, StringComparer.Ordinal)) writer.WriteNumber(reason, count);
        writer.WriteEndObject();
        WriteLatency(writer, "latencyMs", stats.Latency);
        WriteLatency(writer, "timeToFirstChunkMs", stats.FirstChunk);
        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, SortedDictionary<string, long> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (key, count) in counts) writer.WriteNumber(key, count);
        writer.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter writer, string name, LatencyHistogram histogram)
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("count", histogram.Count);
        writer.WriteNumber("p50", Math.Round(histogram.Percentile(0.50), 2));
        writer.WriteNumber("p90", Math.Round(histogram.Percentile(0.90), 2));
        writer.WriteNumber("p99", Math.Round(histogram.Percentile(0.99), 2));
        writer.WriteNumber("max", Math.Round(histogram.MaxMs, 2));
        writer.WriteEndObject();
    }
}
