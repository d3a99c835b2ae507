using RightSize.Classification;
using RightSize.Classification.Rules;
using RightSize.Server.Model;

namespace RightSize.Server.Policy;

/// <summary>What the policy decided for one request, and why.</summary>
internal sealed class RoutingDecision
{
    public required RouteModel Route { get; init; }

    /// <summary>The tier the policy asked for, before configured tiers are resolved.</summary>
    public required Tier RequestedTier { get; init; }

    /// <summary>The tier, upstream and model that will serve the request.</summary>
    public required TierTarget Target { get; init; }

    public required string Reason { get; init; }

    /// <summary>The classifier's confidence, or null when the classifier did not decide.</summary>
    public double? Confidence { get; init; }

    /// <summary>The classifier's probabilities, or null when it did not run.</summary>
    public TierProbabilities? Probabilities { get; init; }

    /// <summary>Time spent in features and inference, in microseconds; 0 when the classifier did not run.</summary>
    public double ClassifierMicroseconds { get; init; }

    /// <summary>Estimated prompt tokens (<see cref="RequestRules.EstimateTokens"/>): UTF-16 characters / 4, plus the prompt's uncounted tokens.</summary>
    public int EstimatedPromptTokens { get; init; }
}
