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

    /// <summary>
    /// Whether the model fails its own golden vectors, the check the gateway runs at start-up and
    /// the CLI before it scores: there were vectors to replay and they are not within tolerance.
    /// A model without golden vectors does not fail it.
    /// </summary>
    public bool Disagrees => Count > 0 && !IsWithin();

    /// <summary>The failure in words, for the messages that refuse such a model.</summary>
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"the model disagrees with its own golden vectors (max deviation {MaxDeviation:G3} at vector {WorstIndex})");
}
