namespace RightSize.OpenAI.Chat;

/// <summary>One message of a conversation, reduced to what routing reads: its role and its text.</summary>
/// <param name="Role">The message role as sent (<c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>).</param>
/// <param name="Text">The text parts of the content, joined by a newline; empty for non-text content.</param>
public readonly record struct ChatTurn(string Role, string Text);
