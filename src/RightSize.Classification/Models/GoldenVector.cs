using System.Text.Json.Serialization;
using RightSize.OpenAI.Chat;

namespace RightSize.Classification.Models;

/// <summary>
/// One line of <c>golden.jsonl</c>: a prompt and the probabilities the trainer's own arithmetic
/// gives for it, [p_small, p_mid]. The gateway replays these through its production path.
/// </summary>
public sealed record GoldenVector
{
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonPropertyName("messages")]
    public IReadOnlyList<GoldenMessage> Messages { get; init; } = [];

    [JsonPropertyName("toolCount")]
    public int ToolCount { get; init; }

    [JsonPropertyName("responseFormatType")]
    public string? ResponseFormatType { get; init; }

    [JsonPropertyName("maxTokens")]
    public int? MaxTokens { get; init; }

    /// <summary>The expected output, [p_small, p_mid].</summary>
    [JsonPropertyName("p")]
    public IReadOnlyList<float> P { get; init; } = [];

    /// <summary>The prompt as the gateway would build it from a request.</summary>
    public ChatPrompt ToPrompt()
    {
        var turns = new ChatTurn[Messages.Count];
        for (var i = 0; i < turns.Length; i++) turns[i] = new ChatTurn(Messages[i].Role, Messages[i].Content);
        return new ChatPrompt(turns, ToolCount, ResponseFormatType, MaxTokens);
    }

    /// <summary>Builds a golden vector from a prompt and its expected probabilities.</summary>
    public static GoldenVector From(ChatPrompt prompt, float pSmall, float pMid, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var messages = new GoldenMessage[prompt.Turns.Count];
        for (var i = 0; i < messages.Length; i++) messages[i] = new GoldenMessage(prompt.Turns[i].Role, prompt.Turns[i].Text);
        return new GoldenVector
        {
            Id = id,
            Messages = messages,
            ToolCount = prompt.ToolCount,
            ResponseFormatType = prompt.ResponseFormatType,
            MaxTokens = prompt.MaxTokens,
            P = [pSmall, pMid],
        };
    }
}
