namespace RightSize.OpenAI.Usage;

/// <summary>Token counts of one upstream response, as the upstream reported them.</summary>
/// <param name="PromptTokens">Input tokens, cached ones included (<c>prompt_tokens</c>).</param>
/// <param name="CompletionTokens">Output tokens, reasoning ones included (<c>completion_tokens</c>).</param>
/// <param name="CachedPromptTokens">The part of <paramref name="PromptTokens"/> served from the prompt cache.</param>
/// <param name="ReasoningTokens">The part of <paramref name="CompletionTokens"/> spent on reasoning.</param>
public readonly record struct TokenUsage(int PromptTokens, int CompletionTokens, int CachedPromptTokens = 0, int ReasoningTokens = 0);
