using RightSize.OpenAI.Chat;

namespace RightSize.OpenAI.Requests;

/// <summary>The fields collected while one body is read, before the required ones are checked.</summary>
internal sealed class RequestFields
{
    public string? Model { get; set; }

    public bool Stream { get; set; }

    public List<ChatTurn>? Turns { get; set; }

    public bool HasInput { get; set; }

    public int ToolCount { get; set; }

    public int FunctionCount { get; set; }

    public string? ResponseFormatType { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public int? MaxTokens { get; set; }

    /// <summary>
    /// Prompt tokens no turn's text shows: token ids; tool-call arguments, tool definitions and a
    /// JSON schema at four bytes a token; the estimates of media parts (<see cref="MediaTokens"/>).
    /// </summary>
    public long UncountedTokens { get; set; }

    public int ImageParts { get; set; }

    public int AudioParts { get; set; }

    public int FileParts { get; set; }

    public MediaParts Media => new(ImageParts, AudioParts, FileParts);
}
