namespace RightSize.Upstream.Simulator.Protocol;

/// <summary>An OpenAI-shaped error: <c>{"error":{"message","type","param","code"}}</c> with its status.</summary>
internal sealed record ApiError(int Status, string Message, string Type, string? Param, string? Code)
{
    public static ApiError BadRequest(string message, string? param = null) => new(400, message, "invalid_request_error", param, null);

    public static ApiError InvalidApiKey() => new(
        401,
        "Incorrect API key provided. The simulator expects the key it was configured with.",
        "invalid_request_error",
        null,
        "invalid_api_key");

    public static ApiError ModelNotFound(string model) => new(
        404,
        $"The model `{model}` does not exist or you do not have access to it.",
        "invalid_request_error",
        "model",
        "model_not_found");

    public static ApiError UnknownPath(string method, string path) => new(
        404,
        $"Invalid URL ({method} {path}).",
        "invalid_request_error",
        null,
        "unknown_url");

    /// <summary>A body the server refused to read in full: 413 too large, 408 too slow, 400 otherwise.</summary>
    public static ApiError RejectedBody(int status, string reason) => status switch
    {
        413 => new(413, $"The request body is too large ({reason}).", "invalid_request_error", null, null),
        408 => new(408, $"The request body did not arrive in time ({reason}).", "invalid_request_error", null, null),
        _ => new(400, $"The request body could not be read ({reason}).", "invalid_request_error", null, null),
    };

    public static ApiError ForStatus(int status) => status switch
    {
        401 => InvalidApiKey(),
        403 => new(403, "Simulated fault: permission denied.", "permission_error", null, "permission_denied"),
        404 => new(404, "Simulated fault: not found.", "invalid_request_error", null, "not_found"),
        429 => new(429, "Simulated fault: rate limit reached for requests.", "requests", null, "rate_limit_exceeded"),
        500 => new(500, "Simulated fault: the server had an error while processing your request.", "server_error", null, null),
        502 => new(502, "Simulated fault: bad gateway.", "server_error", null, "bad_gateway"),
        503 => new(503, "Simulated fault: the engine is currently overloaded, please try again later.", "server_error", null, "overloaded"),
        504 => new(504, "Simulated fault: gateway timeout.", "server_error", null, "timeout"),
        >= 500 => new(status, $"Simulated fault: server error {status}.", "server_error", null, null),
        _ => new(status, $"Simulated fault: request failed with status {status}.", "invalid_request_error", null, null),
    };
}
