using System.Diagnostics;
using RightSize.OpenAI.Usage;
using RightSize.Server.Model;
using RightSize.Server.Observability;

namespace RightSize.Server.Tests.Stats;

/// <summary>Request records as the request path fills them, for feeding cost and stats code.</summary>
internal static class Records
{
    public static readonly TierPrices Small = new(0.05m, 0.10m, 0.05m);
    public static readonly TierPrices Mid = new(0.40m, 1.60m, 0.10m);
    public static readonly TierPrices Frontier = new(2.00m, 8.00m, 0.50m);

    public static RequestRecord Served(string route, string tier, TokenUsage? usage, double durationMs = 100, int status = 200, string reason = "classifier", string? decisionReason = null)
    {
        var prices = tier switch { "small" => Small, "mid" => Mid, _ => Frontier };
        var record = new RequestRecord
        {
            RequestId = "req-" + Guid.NewGuid().ToString("N"),
            Operation = "chat",
            StartTimestamp = Stopwatch.GetTimestamp(),
            Route = route,
            RequestedModel = route,
            DecidedTier = tier,
            Tier = tier,
            Model = "model-" + tier,
            Reason = reason,
            DecisionReason = decisionReason ?? reason,
            Prices = prices,
            FrontierPrices = Frontier,
            StatusCode = status,
            Usage = usage,
            Duration = TimeSpan.FromMilliseconds(durationMs),
        };
        record.Attempts.Add(Attempt(0, tier, null));
        return record;
    }

    public static AttemptRecord Attempt(int index, string tier, string? failure) => new()
    {
        Index = index,
        Tier = tier,
        Upstream = "up-" + tier,
        Model = "model-" + tier,
        Failure = failure,
        StatusCode = StatusOf(failure),
    };

    /// <summary>The upstream status an attempt with this failure has, as the forwarder records it: none when no answer came (a timeout, an open circuit).</summary>
    private static int? StatusOf(string? failure) =>
        failure is null ? 200
        : failure == "context-length" ? 400
        : failure.StartsWith("upstream-", StringComparison.Ordinal) && int.TryParse(failure.AsSpan("upstream-".Length), out var status) ? status
        : null;
}
