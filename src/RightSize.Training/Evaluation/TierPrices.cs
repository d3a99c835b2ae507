namespace RightSize.Training.Evaluation;

/// <summary>Relative prices per call used by the measures (the data README's defaults: 1, 4, 20).</summary>
public sealed record TierPrices(double Small = 1, double Mid = 4, double Frontier = 20)
{
    public static TierPrices Default { get; } = new();
}
