using RightSize.Features;

namespace RightSize.Training.Training;

/// <summary>
/// A small, hand-set prior on structural signals that exist in any chat request, carried by one
/// frozen hidden unit: difficulty = relu(Σ weight·slot + Bias), and both logits fall by
/// <see cref="Output"/> per unit of difficulty. The exam data has almost no greetings or
/// open-ended design/proof requests, so without it the model's ranking of chat prompts is
/// an extrapolation. Slot values are the extractor's (logs are ln(1+x)/10).
/// </summary>
public static class ChatPrior
{
    public const float Bias = -0.45f;

    public const float Output = 2.0f;

    public static IReadOnlyList<(int Slot, float Weight)> Slots { get; } =
    [
        ((int)StructuralSlot.LastUserLogChars, 1.0f),      // 30 chars ≈ 0.34, 300 ≈ 0.57, 3,000 ≈ 0.80
        ((int)StructuralSlot.ReasoningMarkersLog, 6f),     // one marker ≈ +0.42
        ((int)StructuralSlot.MathMarkersLog, 6f),
        ((int)StructuralSlot.CodeMarkersLog, 6f),
        ((int)StructuralSlot.StepByStep, 0.4f),
        ((int)StructuralSlot.LatexCommandsLog, 4f),
        ((int)StructuralSlot.HasCodeFence, 0.4f),
        ((int)StructuralSlot.MathSymbolShare, 0.5f),
        ((int)StructuralSlot.SimpleMarkersLog, -6f),       // hello, thanks, translate, capital...
    ];
}
