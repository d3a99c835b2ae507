using RightSize.OpenAI.Chat;

namespace RightSize.Classification;

/// <summary>
/// Estimates, for one request, how likely each cheaper tier is to be good enough.
/// Implementations are thread-safe and are called on every routed request.
/// </summary>
public interface IDifficultyClassifier
{
    /// <summary>Describes the loaded model, or null when no model is available (routes then use their <c>DefaultTier</c>).</summary>
    ClassifierModelInfo? Model { get; }

    /// <summary>Scores one prompt. Only called when <see cref="Model"/> is not null.</summary>
    TierProbabilities Predict(ChatPrompt prompt);
}
