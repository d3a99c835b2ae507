using RightSize.Classification;
using RightSize.OpenAI.Chat;

namespace RightSize.Server.Classification;

/// <summary>The classifier when no model is configured: routes use their <c>DefaultTier</c>.</summary>
internal sealed class NoModelClassifier : IDifficultyClassifier
{
    public ClassifierModelInfo? Model => null;

    public TierProbabilities Predict(ChatPrompt prompt) =>
        throw new InvalidOperationException("No classifier model is loaded; the policy uses the route's DefaultTier.");
}
