namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>The usage the simulator reports: prompt tokens from the body size, completion tokens from the answer's words.</summary>
internal readonly record struct TokenUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>About four UTF-8 bytes of request body per token, at least one.</summary>
    public static int EstimatePromptTokens(int bodyBytes) => Math.Max(1, (bodyBytes + 3) / 4);
}
