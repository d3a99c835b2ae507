using RightSize.Classification;
using RightSize.OpenAI.Usage;
using RightSize.Server.Model;

namespace RightSize.Server.Observability;

/// <summary>
/// Everything the gateway learnt about one request, filled in along the request path and handed
/// to <see cref="IRequestObserver"/>s. Holds no prompt or completion text and no credentials.
/// </summary>
internal sealed class RequestRecord
{
    public required string RequestId { get; init; }

    /// <summary><c>chat</c>, <c>text_completion</c> or <c>embeddings</c> (<see cref="Endpoints.OpenAIPaths.OperationName"/>).</summary>
    public required string Operation { get; init; }

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> at arrival.</summary>
    public required long StartTimestamp { get; init; }

    /// <summary>
    /// The configuration the request was served under. Metric labels are resolved against it, so a
    /// request that ends after a reload is labelled as it was served. Null: the one in force at the end.
    /// </summary>
    public GatewaySnapshot? Snapshot { get; init; }

    public string? Route { get; set; }

    /// <summary>The model the client asked for.</summary>
    public string? RequestedModel { get; set; }

    public bool Stream { get; set; }

    /// <summary>The tier the policy chose, before any fallback.</summary>
    public string? DecidedTier { get; set; }

    /// <summary>The tier that finally served (or last failed).</summary>
    public string? Tier { get; set; }

    /// <summary>The concrete model that finally served (or last failed).</summary>
    public string? Model { get; set; }

    /// <summary>The final <c>x-rightsize-reason</c>.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>The policy's reason for <see cref="DecidedTier"/>, before any fallback; empty when the policy chose no tier.</summary>
    public string DecisionReason { get; set; } = string.Empty;

    public double? Confidence { get; set; }

    public TierProbabilities? Probabilities { get; set; }

    public double ClassifierMicroseconds { get; set; }

    /// <summary>Prices of the tier that served; null for pass-through.</summary>
    public TierPrices? Prices { get; set; }

    /// <summary>Prices of the route's frontier tier, for the counterfactual cost; null for pass-through.</summary>
    public TierPrices? FrontierPrices { get; set; }

    public List<AttemptRecord> Attempts { get; } = [];

    /// <summary>The status the client received.</summary>
    public int StatusCode { get; set; }

    /// <summary>Token usage read from the answer of the latest attempt; null when it reported none.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>Time from arrival to the first body bytes sent to the client.</summary>
    public TimeSpan? TimeToFirstChunk { get; set; }

    public TimeSpan Duration { get; set; }

    /// <summary>The stream failed after its first byte and was ended with an error event.</summary>
    public bool StreamFailed { get; set; }

    /// <summary>The client went away before the response ended.</summary>
    public bool ClientAborted { get; set; }
}
