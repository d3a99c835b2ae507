namespace RightSize.Server.Endpoints;

/// <summary>The API paths, as clients send them and as they go upstream (under the upstream's base URL).</summary>
internal static class OpenAIPaths
{
    public const string ChatCompletions = "/v1/chat/completions";
    public const string Completions = "/v1/completions";
    public const string Embeddings = "/v1/embeddings";
    public const string Models = "/v1/models";

    /// <summary>The root every API path starts with.</summary>
    public const string ApiRoot = "/v1/";

    /// <summary>What an unknown path under <see cref="ApiRoot"/> is told the gateway serves.</summary>
    public const string ServedApis = "RightSize serves POST /v1/chat/completions, /v1/completions and /v1/embeddings, and GET /v1/models and /v1/models/{model}. Call other OpenAI APIs (responses, files, batches, images, audio, moderations) on the provider directly, with a second client whose base URL is the provider's.";

    /// <summary>What a client whose base URL lacks <c>/v1</c> (it asked for <c>/chat/completions</c>) is told.</summary>
    public const string MissingApiRoot = "RightSize serves the OpenAI API under /v1: the SDK's base URL should end in /v1 (http://host:port/v1, or http://host:port/routes/{name}/v1 for a route's path).";

    /// <summary>The path under an upstream base such as <c>https://api.openai.com/v1</c>.</summary>
    public static string UpstreamPath(OpenAIOperation operation) => operation switch
    {
        OpenAIOperation.ChatCompletions => "/chat/completions",
        OpenAIOperation.Completions => "/completions",
        OpenAIOperation.Embeddings => "/embeddings",
        OpenAIOperation.Models => "/models",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>The operation's short name in telemetry (<c>chat</c>, <c>text_completion</c>, <c>embeddings</c>), as the GenAI conventions name them.</summary>
    public static string OperationName(OpenAIOperation operation) => operation switch
    {
        OpenAIOperation.ChatCompletions => "chat",
        OpenAIOperation.Completions => "text_completion",
        OpenAIOperation.Embeddings => "embeddings",
        _ => "models",
    };

    /// <summary>Recognises an API path (after any route prefix), with or without one trailing slash, as the fixed <c>/v1/...</c> endpoints accept it.</summary>
    public static bool TryParse(string path, out OpenAIOperation operation)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length > 1 && path[^1] == '/') path = path[..^1];
        operation = path switch
        {
            _ when path.Equals(ChatCompletions, StringComparison.OrdinalIgnoreCase) => OpenAIOperation.ChatCompletions,
            _ when path.Equals(Completions, StringComparison.OrdinalIgnoreCase) => OpenAIOperation.Completions,
            _ when path.Equals(Embeddings, StringComparison.OrdinalIgnoreCase) => OpenAIOperation.Embeddings,
            _ when path.Equals(Models, StringComparison.OrdinalIgnoreCase) => OpenAIOperation.Models,
            _ => (OpenAIOperation)(-1),
        };
        return operation >= 0;
    }
}
