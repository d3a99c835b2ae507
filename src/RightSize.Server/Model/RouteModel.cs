using RightSize.Classification;
using RightSize.Classification.Rules;

namespace RightSize.Server.Model;

/// <summary>A route's policy, compiled from configuration: immutable, shared by all requests of a snapshot.</summary>
internal sealed class RouteModel
{
    public required string Name { get; init; }

    /// <summary>Path prefixes that select the route, without a trailing slash.</summary>
    public required IReadOnlyList<string> PathPrefixes { get; init; }

    public Tier? FixedTier { get; init; }

    public required Tier DefaultTier { get; init; }

    public required Tier MinTier { get; init; }

    public required Tier MaxTier { get; init; }

    public required double Threshold { get; init; }

    public required double MinConfidence { get; init; }

    public required bool AllowTierOverride { get; init; }

    /// <summary>The request-shape rules (<c>Rules:*</c>), applied after the classifier or a fixed tier.</summary>
    public required RequestRules Rules { get; init; }

    /// <summary>Indexed by <see cref="Tier"/>; null where the route has no such tier configured.</summary>
    public required TierTarget?[] Targets { get; init; }

    public required UpstreamEndpoint EmbeddingsUpstream { get; init; }

    public string? EmbeddingsModel { get; init; }

    public required TimeSpan Deadline { get; init; }

    public required TimeSpan RetryAfterLimit { get; init; }

    /// <summary>
    /// The lowest tier a request on this route can be served by: the tier its fixed tier resolves
    /// to when a client may not override it, else the tier its <c>MinTier</c> resolves to (a
    /// client's <c>x-rightsize-tier</c>, the classifier and the default tier are all raised to
    /// <c>MinTier</c> by <see cref="ResolveTarget"/>; the rules only raise a tier).
    /// </summary>
    public Tier LowestServingTier() =>
        ResolveTarget(FixedTier is { } fixedTier && !AllowTierOverride ? fixedTier : MinTier).Tier;

    /// <summary>The tier actually served when <paramref name="wanted"/> is asked for: the first configured tier at or above it, up to the route's maximum.</summary>
    public TierTarget ResolveTarget(Tier wanted)
    {
        var tier = wanted < MinTier ? MinTier : wanted;
        if (tier > MaxTier) tier = MaxTier;
        for (var t = (int)tier; t <= (int)MaxTier; t++)
        {
            if (Targets[t] is { } target) return target;
        }

        for (var t = (int)tier - 1; t >= (int)MinTier; t--)
        {
            if (Targets[t] is { } target) return target;
        }

        throw new InvalidOperationException($"Route '{Name}' has no tier configured between {MinTier} and {MaxTier}.");
    }
}
