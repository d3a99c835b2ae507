using RightSize.OpenAI.Chat;

namespace RightSize.OpenAI.Requests;

/// <summary>What routing reads from an OpenAI request body; every other field stays in the original bytes.</summary>
public sealed class ParsedRequest
{
    /// <summary><c>model</c> as sent, or null when absent (or JSON null).</summary>
    public string? Model { get; init; }

    /// <summary><c>stream</c>; false when absent.</summary>
    public bool Stream { get; init; }

    /// <summary>The conversation and request shape, for the classifier; null for embeddings.</summary>
    public ChatPrompt? Prompt { get; init; }
}
