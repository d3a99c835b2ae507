namespace RightSize.Classification;

/// <summary>
/// Turns classifier probabilities into a tier: the cheapest tier whose probability of being good
/// enough reaches the route's threshold; otherwise the frontier. Tiers the model cannot judge
/// (NaN) are skipped.
/// </summary>
/// <remarks>
/// <para>
/// <b>Confidence</b> measures how far the <i>deciding probability</i> p sits from the threshold t,
/// as a share of the room on its side, mapped to [0.5, 1]:
/// </para>
/// <code>
/// confidence = 0.5 + 0.5 * (p - t) / (1 - t)   when p &gt;= t   (a cheaper tier was chosen)
/// confidence = 0.5 + 0.5 * (t - p) / t         when p &lt;  t   (no cheaper tier reached t)
/// </code>
/// <para>
/// The deciding probability is the chosen tier's own probability when a cheaper tier is chosen,
/// and the highest judged cheaper-tier probability (the nearest miss) when the frontier is chosen.
/// At t = 0.5 this is exactly max(p, 1 - p); a probability on the threshold gives 0.5 and a
/// certain one gives 1. Confidence grows monotonically with |p - t| on each side. With no judged
/// tier the decision is the frontier with confidence 0.
/// </para>
/// <para>
/// The gateway escalates a cheaper-tier decision to the frontier when its confidence is under the
/// route's <c>MinConfidence</c>: with t = 0.7 and MinConfidence = 0.6 a tier is used only from
/// p &gt;= 0.76. MinConfidence 0.5 or less never escalates.
/// </para>
/// </remarks>
public static class DecisionPolicy
{
    /// <summary>Decides the tier for one request.</summary>
    /// <param name="probabilities">The classifier's output.</param>
    /// <param name="threshold">The route's threshold, in [0, 1].</param>
    public static ClassifierDecision Decide(TierProbabilities probabilities, double threshold)
    {
        if (double.IsNaN(threshold) || threshold < 0 || threshold > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be between 0 and 1.");
        }

        // Probabilities are float32 (the model's output); compare at that precision, so that a
        // reported 0.7 meets a configured 0.7 (0.7f is 0.699999988 as a double).
        var t = (double)(float)threshold;
        var nearestMiss = float.NaN;
        for (var tier = Tier.Small; tier < Tier.Frontier; tier++)
        {
            var p = probabilities.For(tier);
            if (float.IsNaN(p)) continue;
            if (p >= t) return new ClassifierDecision(tier, Confidence(p, t), p);
            if (float.IsNaN(nearestMiss) || p > nearestMiss) nearestMiss = p;
        }

        return float.IsNaN(nearestMiss)
            ? new ClassifierDecision(Tier.Frontier, 0, float.NaN)
            : new ClassifierDecision(Tier.Frontier, Confidence(nearestMiss, t), nearestMiss);
    }

    /// <summary>
    /// Whether a decision for <paramref name="tier"/> goes to the frontier instead, its confidence
    /// being under <paramref name="minConfidence"/>: only below <paramref name="maxTier"/>, the
    /// highest tier the route serves, since at that tier there is nowhere to go up to.
    /// </summary>
    public static bool EscalatesForLowConfidence(Tier tier, double confidence, double minConfidence, Tier maxTier = Tier.Frontier) =>
        tier < maxTier && confidence < minConfidence;

    /// <summary>The confidence of a decision whose deciding probability is <paramref name="p"/>.</summary>
    public static double Confidence(double p, double threshold)
    {
        var room = p >= threshold ? 1 - threshold : threshold;
        var share = room <= 0 ? 1 : Math.Abs(p - threshold) / room;
        return 0.5 + (0.5 * Math.Clamp(share, 0, 1));
    }
}
