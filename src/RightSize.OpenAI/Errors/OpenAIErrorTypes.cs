namespace RightSize.OpenAI.Errors;

/// <summary>The <c>error.type</c> values RightSize sends, taken from OpenAI's own set.</summary>
public static class OpenAIErrorTypes
{
    /// <summary>The request was refused because of what the client sent (every 4xx).</summary>
    public const string InvalidRequest = "invalid_request_error";

    /// <summary>The request failed on the server side or further upstream (every 5xx).</summary>
    public const string Server = "server_error";
}
