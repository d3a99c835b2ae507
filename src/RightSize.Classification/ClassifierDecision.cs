namespace RightSize.Classification;

/// <summary>What <see cref="DecisionPolicy"/> made of one request's probabilities.</summary>
/// <param name="Tier">The cheapest tier whose probability reaches the threshold, else <see cref="Tier.Frontier"/>.</param>
/// <param name="Confidence">
/// How clearly the deciding probability sits on its side of the threshold, in [0.5, 1]
/// (0 when no tier was judged); see <see cref="DecisionPolicy"/>.
/// </param>
/// <param name="DecidingProbability">The probability that decided (see <see cref="DecisionPolicy"/>); NaN when no tier was judged.</param>
public readonly record struct ClassifierDecision(Tier Tier, double Confidence, float DecidingProbability);
