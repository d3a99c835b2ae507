using System.Diagnostics;
using RightSize.Classification;
using RightSize.Classification.Rules;
using RightSize.OpenAI.Chat;
using RightSize.OpenAI.Errors;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;

namespace RightSize.Server.Policy;

/// <summary>
/// Decides the tier of one request on one route, in this order: a client override (where the
/// route allows it), a fixed tier, the classifier (or the route's <c>DefaultTier</c> when no
/// model is loaded), then the request-shape rules, then the route's min/max tiers. The classifier
/// decides only among the cheaper tiers the route serves and the tools and media rules allow.
/// </summary>
internal sealed class RoutePolicy(IDifficultyClassifier classifier)
{
    public OpenAIError? TryDecide(RouteModel route, ChatPrompt prompt, string? tierOverride, out RoutingDecision? decision)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(prompt);
        decision = null;
        var tokens = RequestRules.EstimateTokens(prompt);
        var floor = route.Rules.FloorFor(prompt);
        Tier tier;
        string reason;
        double? confidence = null;
        TierProbabilities? probabilities = null;
        double micros = 0;

        if (!string.IsNullOrEmpty(tierOverride) && route.AllowTierOverride)
        {
            if (!TierNames.TryParse(tierOverride, out tier))
            {
                return OpenAIError.InvalidRequest($"The {DecisionHeaderValues.TierHeader} header must be small, mid or frontier.", DecisionHeaderValues.TierHeader, OpenAIErrorCodes.InvalidTier);
            }

            reason = DecisionReasons.Override;
        }
        else if (route.FixedTier is { } fixedTier)
        {
            tier = fixedTier;
            reason = DecisionReasons.Fixed;
        }
        else if (classifier.Model is not null)
        {
            var started = Stopwatch.GetTimestamp();
            var p = classifier.Predict(prompt);
            (tier, reason, var verdictConfidence) = Classify(route, p, floor);
            micros = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            probabilities = p;
            confidence = verdictConfidence;
        }
        else
        {
            tier = route.DefaultTier;
            reason = DecisionReasons.DefaultTier;
        }

        if (reason != DecisionReasons.Override)
        {
            if (floor is { } rule && tier < rule.Tier)
            {
                (tier, reason) = (rule.Tier, rule.Reason);
            }

            if (route.Rules.IsLongPrompt(tokens) && tier < route.MaxTier)
            {
                (tier, reason) = (Tier.Frontier, RuleReasons.LongPrompt);
            }
        }

        decision = new RoutingDecision
        {
            Route = route,
            RequestedTier = tier,
            Target = route.ResolveTarget(tier),
            Reason = reason,
            Confidence = confidence,
            Probabilities = probabilities,
            ClassifierMicroseconds = micros,
            EstimatedPromptTokens = tokens,
        };
        return null;
    }

    /// <summary>
    /// The classifier's decision among the tiers the request may be served by. When the tools or
    /// media rule (<see cref="TierFloor"/>) rules out the cheaper tier the classifier chose, it
    /// decides again above the rule's floor (reason <c>rule:tools</c> or <c>rule:media</c>), so that
    /// the tier served is judged on its own probability and confidence; a tier below the route's
    /// <c>MaxTier</c> whose confidence is under <c>MinConfidence</c> goes to the frontier (served at
    /// <c>MaxTier</c>).
    /// </summary>
    private static (Tier Tier, string Reason, double Confidence) Classify(RouteModel route, TierProbabilities p, TierFloor? floor)
    {
        var verdict = DecisionPolicy.Decide(Candidates(route, p, route.MinTier), route.Threshold);
        var reason = DecisionReasons.Classifier;
        if (floor is { } rule && verdict.Tier < rule.Tier)
        {
            verdict = DecisionPolicy.Decide(Candidates(route, p, rule.Tier), route.Threshold);
            reason = rule.Reason;
        }

        return DecisionPolicy.EscalatesForLowConfidence(verdict.Tier, verdict.Confidence, route.MinConfidence, route.MaxTier)
            ? (Tier.Frontier, DecisionReasons.LowConfidence, verdict.Confidence)
            : (verdict.Tier, reason, verdict.Confidence);
    }

    /// <summary>
    /// The probabilities of the cheaper tiers from <paramref name="floor"/> up that this route
    /// serves; the others become "not judged" (NaN). A tier below the floor or <c>MinTier</c>, above
    /// <c>MaxTier</c> or not configured is never served, so it must not decide, nor lend its (lower)
    /// confidence to the tier that is served instead.
    /// </summary>
    private static TierProbabilities Candidates(RouteModel route, TierProbabilities p, Tier floor) =>
        new(Serves(route, Tier.Small, floor) ? p.Small : float.NaN, Serves(route, Tier.Mid, floor) ? p.Mid : float.NaN);

    private static bool Serves(RouteModel route, Tier tier, Tier floor) =>
        tier >= floor && tier >= route.MinTier && tier <= route.MaxTier && route.Targets[(int)tier] is not null;
}
