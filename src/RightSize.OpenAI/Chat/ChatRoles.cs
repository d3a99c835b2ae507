namespace RightSize.OpenAI.Chat;

/// <summary>The message roles of the Chat Completions API that RightSize reads (<see cref="ChatTurn.Role"/>).</summary>
public static class ChatRoles
{
    public const string User = "user";

    public const string Assistant = "assistant";

    public const string System = "system";

    /// <summary>The newer name of <see cref="System"/> for reasoning models: instructions, not conversation.</summary>
    public const string Developer = "developer";

    public const string Tool = "tool";

    /// <summary>The legacy role of a function's result, before <see cref="Tool"/>.</summary>
    public const string Function = "function";
}
