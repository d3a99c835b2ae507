namespace RightSize.Classification.Models;

/// <summary>The result of replaying <c>golden.jsonl</c> through the production inference path.</summary>
/// <param name="Count">How many vectors were checked.</param>
/// <param name="MaxDeviation">The largest absolute difference between an expected and a computed probability.</param>
/// <param name="WorstIndex">The zero-based index of the vector with that difference, or -1 when there were none.</param>
public readonly record struct GoldenVerification(int Count, double MaxDeviation, int WorstIndex)
{
    /// <summary>The tolerance the project holds ONNX Runtime to against the trainer's arithmetic.</summary>
    public const double DefaultTolerance = 1e-5;

    public bool IsWithin(double tolerance = DefaultTolerance) => Count > 0 && MaxDeviation <= tolerance;
}
