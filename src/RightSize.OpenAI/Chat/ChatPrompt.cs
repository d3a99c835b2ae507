namespace RightSize.OpenAI.Chat;

/// <summary>
/// The part of a chat request that decides how hard it is: the conversation and the request
/// shape. Built by the gateway from a live request and by the trainer from a data row, so that
/// serving and training see the same input.
/// </summary>
public sealed class ChatPrompt
{
    public ChatPrompt(IReadOnlyList<ChatTurn> turns, int toolCount = 0, string? responseFormatType = null, int? maxTokens = null, int uncountedTokens = 0, MediaParts media = default)
    {
        ArgumentNullException.ThrowIfNull(turns);
        Turns = turns;
        ToolCount = toolCount;
        ResponseFormatType = responseFormatType;
        MaxTokens = maxTokens;
        UncountedTokens = uncountedTokens;
        Media = media;
    }

    /// <summary>The messages in order.</summary>
    public IReadOnlyList<ChatTurn> Turns { get; }

    /// <summary>Number of entries in <c>tools</c> (and legacy <c>functions</c>).</summary>
    public int ToolCount { get; }

    /// <summary>
    /// Whether the request offers tools (<see cref="ToolCount"/>) or its conversation holds a tool's
    /// result (a <c>tool</c> message, or a legacy <c>function</c> one): the follow-up turn of a tool
    /// call may send no <c>tools</c>, and is still part of the same agent loop.
    /// </summary>
    public bool UsesTools
    {
        get
        {
            if (ToolCount > 0) return true;
            for (var i = 0; i < Turns.Count; i++)
            {
                var role = Turns[i].Role;
                if (string.Equals(role, ChatRoles.Tool, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(role, ChatRoles.Function, StringComparison.OrdinalIgnoreCase)) return true;
            }

            return false;
        }
    }

    /// <summary><c>response_format.type</c> when present (<c>text</c>, <c>json_object</c>, <c>json_schema</c>).</summary>
    public string? ResponseFormatType { get; }

    /// <summary><c>max_completion_tokens</c>, or <c>max_tokens</c> when that is the one sent.</summary>
    public int? MaxTokens { get; }

    /// <summary>
    /// Prompt tokens that no turn's text shows: a completion prompt's token ids; an assistant's
    /// tool-call arguments, the <c>tools</c>/<c>functions</c> definitions and
    /// <c>response_format.json_schema</c> (four bytes a token); and an estimate for each image,
    /// audio and file part (<see cref="Requests.MediaTokens"/>). For token budgets, not for features.
    /// </summary>
    public int UncountedTokens { get; }

    /// <summary>The image, audio and file parts of the messages. For routing rules, not for features.</summary>
    public MediaParts Media { get; }

    /// <summary>
    /// The index of the last user message, the question the features read and the trainer groups
    /// by; the last message when there is no user message; -1 for no message.
    /// </summary>
    public int LastUserIndex
    {
        get
        {
            for (var i = Turns.Count - 1; i >= 0; i--)
            {
                if (string.Equals(Turns[i].Role, ChatRoles.User, StringComparison.OrdinalIgnoreCase)) return i;
            }

            return Turns.Count - 1;
        }
    }

    /// <summary>Creates a prompt from a single user message.</summary>
    public static ChatPrompt FromUserText(string text) => new([new ChatTurn(ChatRoles.User, text)]);
}
