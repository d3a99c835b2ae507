namespace RightSize.Classification;

/// <summary>
/// The classifier's output for one request: for each cheaper tier, the calibrated probability
/// that its answer is good enough (scores at least as well as the frontier's). A tier the model
/// cannot judge is <see cref="float.NaN"/>. Monotone: <c>Small &lt;= Mid</c> when both are known.
/// </summary>
public readonly record struct TierProbabilities(float Small, float Mid)
{
    /// <summary>The probability for a cheaper tier; the frontier is good enough by definition.</summary>
    public float For(Tier tier) => tier switch
    {
        Tier.Small => Small,
        Tier.Mid => Mid,
        Tier.Frontier => 1f,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };
}
