namespace RightSize.Server.Endpoints;

/// <summary>The OpenAI API operations the gateway serves.</summary>
internal enum OpenAIOperation
{
    ChatCompletions,
    Completions,
    Embeddings,
    Models,
}
