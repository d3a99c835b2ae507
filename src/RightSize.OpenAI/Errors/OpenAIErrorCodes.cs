namespace RightSize.OpenAI.Errors;

/// <summary>The <c>error.code</c> values RightSize sends, so callers and tests can match on them.</summary>
public static class OpenAIErrorCodes
{
    /// <summary>The body is not well-formed JSON (syntax, truncation, invalid UTF-8, nesting too deep).</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The model name is too long or has characters other than visible ASCII.</summary>
    public const string InvalidModel = "invalid_model";

    /// <summary>The <c>x-rightsize-tier</c> header names no tier (small, mid or frontier).</summary>
    public const string InvalidTier = "invalid_tier";

    /// <summary>The request names no model (an empty string counts as none), and its path names no route.</summary>
    public const string MissingModel = "missing_model";

    /// <summary>No route claims the requested virtual or concrete model.</summary>
    public const string ModelNotFound = "model_not_found";

    /// <summary>The route named in the path does not exist.</summary>
    public const string RouteNotFound = "route_not_found";

    /// <summary>No endpoint answers this method and path.</summary>
    public const string UnknownUrl = "unknown_url";

    /// <summary>The body could not be read as framed (broken chunked encoding).</summary>
    public const string UnreadableBody = "unreadable_body";

    /// <summary>The body arrived too slowly (the server's minimum data rate or its timeout).</summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary>The client closed the connection before its request was read (never sent; logs and records only).</summary>
    public const string ClientClosedRequest = "client_closed_request";

    /// <summary>The body exceeds the configured size limit.</summary>
    public const string RequestTooLarge = "request_too_large";

    /// <summary>The endpoint exists but not for this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>The request carries an <c>Origin</c> header: a web page sent it, and the gateway takes no requests from web pages.</summary>
    public const string OriginNotAllowed = "origin_not_allowed";

    /// <summary>The body is not declared as JSON, or is compressed.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>The upstream answered with something unusable, or the connection failed.</summary>
    public const string UpstreamError = "upstream_error";

    /// <summary>No upstream could take the request (refused, circuit open, overloaded).</summary>
    public const string UpstreamUnavailable = "upstream_unavailable";

    /// <summary>The upstream did not answer in time.</summary>
    public const string UpstreamTimeout = "upstream_timeout";

    /// <summary>The gateway holds as many request bodies as it may at once; a retry shortly after finds room.</summary>
    public const string GatewayBusy = "gateway_busy";

    /// <summary>The gateway is shutting down: the request was not finished; another instance will take it.</summary>
    public const string ShuttingDown = "shutting_down";

    /// <summary>An unexpected failure inside the gateway.</summary>
    public const string InternalError = "internal_error";
}
