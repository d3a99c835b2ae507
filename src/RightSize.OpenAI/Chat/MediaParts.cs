namespace RightSize.OpenAI.Chat;

/// <summary>
/// The non-text content parts of a conversation, by kind: <c>image_url</c>, <c>input_audio</c> and
/// <c>file</c>. Routing reads them (a small tier is often a text-only model); the classifier's
/// features do not, so the feature schema does not depend on them.
/// </summary>
/// <param name="Images">Number of <c>image_url</c> parts.</param>
/// <param name="Audio">Number of <c>input_audio</c> parts.</param>
/// <param name="Files">Number of <c>file</c> parts.</param>
public readonly record struct MediaParts(int Images, int Audio, int Files)
{
    /// <summary>All media parts together.</summary>
    public int Count => Images + Audio + Files;
}
