using RightSize.Classification;
using RightSize.OpenAI.Chat;

namespace RightSize.Server.Tests.TestSupport;

/// <summary>A classifier with a model loaded that always answers the same probabilities.</summary>
internal sealed class FixedClassifier(float small, float mid) : IDifficultyClassifier
{
    public ClassifierModelInfo? Model { get; } = new("fixed", "fixed/model.onnx", "test-schema");

    public int Calls { get; private set; }

    public TierProbabilities Predict(ChatPrompt prompt)
    {
        Calls++;
        return new TierProbabilities(small, mid);
    }
}

/// <summary>No model loaded: the policy must not call <see cref="Predict"/>.</summary>
internal sealed class NoModel : IDifficultyClassifier
{
    public ClassifierModelInfo? Model => null;

    public TierProbabilities Predict(ChatPrompt prompt) => throw new InvalidOperationException("Predict called without a model.");
}
