using System.Globalization;

namespace RightSize.OpenAI.Errors;

/// <summary>
/// An error in OpenAI's shape, <c>{"error":{"message","type","param","code"}}</c>, with the HTTP
/// status it leaves with. Messages never quote request content (no prompt text); the few values a
/// message does name (a model, a route, a path) are cut to <see cref="MaxEchoLength"/> characters.
/// </summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Message">A human-readable explanation.</param>
/// <param name="Type">The error class, see <see cref="OpenAIErrorTypes"/>.</param>
/// <param name="Param">The offending request field (for example <c>messages[2].role</c>), or null.</param>
/// <param name="Code">A machine-readable code, see <see cref="OpenAIErrorCodes"/>, or null.</param>
public sealed record OpenAIError(int StatusCode, string Message, string Type, string? Param, string? Code)
{
    /// <summary>The longest client-supplied value an error message repeats.</summary>
    public const int MaxEchoLength = 128;

    /// <summary>The status of <see cref="ClientClosedRequest"/>.</summary>
    public const int ClientClosedRequestStatus = 499;

    /// <summary>400: the request is well-formed JSON but breaks the API's rules.</summary>
    public static OpenAIError InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, message, OpenAIErrorTypes.InvalidRequest, param, code);

    /// <summary>400 <c>invalid_json</c>: the body could not be parsed.</summary>
    public static OpenAIError InvalidJson(string message) =>
        new(400, message, OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.InvalidJson);

    /// <summary>400 <c>missing_model</c>: the request names no model, and nothing else says what serves it.</summary>
    public static OpenAIError MissingModel() =>
        InvalidRequest("You must provide a model parameter.", "model", OpenAIErrorCodes.MissingModel);

    /// <summary>404 <c>model_not_found</c>: no route serves this model.</summary>
    public static OpenAIError ModelNotFound(string model) =>
        new(404, Format($"The model '{Echo(model)}' does not exist or no route serves it."),
            OpenAIErrorTypes.InvalidRequest, "model", OpenAIErrorCodes.ModelNotFound);

    /// <summary>
    /// 404 <c>model_not_found</c>: a request names a model that no route claims and that is no
    /// tier's model, and nothing forwards such a model unchanged; names the setting that would.
    /// </summary>
    public static OpenAIError ModelNotRouted(string model, bool passthroughEnabled) =>
        new(404, passthroughEnabled
                ? Format($"The model '{Echo(model)}' does not exist or no route serves it: no route claims it and it is no tier's model. To send such models on unchanged, set RightSize:Passthrough:Upstream; to right-size them, add the model to a route's ClaimModels.")
                : Format($"The model '{Echo(model)}' does not exist or no route serves it: no route claims it, and RightSize:Passthrough:Enabled is false, so no other model is sent on. To right-size it, add the model to a route's ClaimModels."),
            OpenAIErrorTypes.InvalidRequest, "model", OpenAIErrorCodes.ModelNotFound);

    /// <summary>404 <c>model_not_found</c>: no route serves this embeddings model; names the settings that would.</summary>
    public static OpenAIError EmbeddingsModelNotFound(string model) =>
        new(404, Format($"The model '{Echo(model)}' does not exist or no route serves it: to serve embeddings, set RightSize:Passthrough:Upstream (with Passthrough:Enabled true, the default) to forward unclaimed models unchanged, or set RightSize:Routes:{{name}}:Embeddings:Model on a route and send that route's name as the model."),
            OpenAIErrorTypes.InvalidRequest, "model", OpenAIErrorCodes.ModelNotFound);

    /// <summary>
    /// 404 <c>model_not_found</c>: an embeddings request named a route that has no embeddings
    /// model. A concrete model is advice only where one would be sent on (<paramref name="unclaimedSentOn"/>:
    /// on the route's own path, or anywhere once <c>Passthrough:Upstream</c> is set).
    /// </summary>
    public static OpenAIError NoEmbeddingsModel(string model, string route, bool unclaimedSentOn) =>
        new(404, unclaimedSentOn
                ? Format($"The model '{Echo(model)}' is a RightSize route's name, which no embeddings provider knows, and route '{Echo(route)}' has no embeddings model: send a concrete embeddings model, or set RightSize:Routes:{Echo(route)}:Embeddings:Model.")
                : Format($"The model '{Echo(model)}' is a RightSize route's name, which no embeddings provider knows, and route '{Echo(route)}' has no embeddings model: set RightSize:Routes:{Echo(route)}:Embeddings:Model, or set RightSize:Passthrough:Upstream and send a concrete embeddings model."),
            OpenAIErrorTypes.InvalidRequest, "model", OpenAIErrorCodes.ModelNotFound);

    /// <summary>404 <c>model_not_found</c>: pass-through is off and the route that got an embeddings request has no embeddings model.</summary>
    public static OpenAIError EmbeddingsModelNotConfigured(string model, string route) =>
        new(404, Format($"The model '{Echo(model)}' is not served: RightSize:Passthrough:Enabled is false, so no model a client names is sent on unchanged, and route '{Echo(route)}' has no embeddings model. Set RightSize:Routes:{Echo(route)}:Embeddings:Model."),
            OpenAIErrorTypes.InvalidRequest, "model", OpenAIErrorCodes.ModelNotFound);

    /// <summary>404 <c>route_not_found</c>: the path names an unknown route.</summary>
    public static OpenAIError RouteNotFound(string route) =>
        new(404, Format($"The route '{Echo(route)}' does not exist."),
            OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.RouteNotFound);

    /// <summary>
    /// 404 <c>unknown_url</c>: no endpoint answers this method and path. <paramref name="served"/>,
    /// when given, is added as a sentence naming what is served instead.
    /// </summary>
    public static OpenAIError UnknownUrl(string method, string path, string? served = null) =>
        new(404, served is null ? Format($"Invalid URL ({Echo(method)} {Echo(path)}).") : Format($"Invalid URL ({Echo(method)} {Echo(path)}). {served}"),
            OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.UnknownUrl);

    /// <summary>413 <c>request_too_large</c>: the body is over the configured limit.</summary>
    public static OpenAIError RequestTooLarge(long limitBytes) =>
        new(413, Format($"The request body is larger than the limit of {limitBytes} bytes. The gateway's operator sets it with RightSize:Gateway:MaxRequestBodyBytes."),
            OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.RequestTooLarge);

    /// <summary>400 <c>unreadable_body</c> or 408 <c>request_timeout</c>: the server could not read the body as sent.</summary>
    public static OpenAIError UnreadableBody(int statusCode) => statusCode == 408
        ? new(408, "The request body did not arrive in time.", OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.RequestTimeout)
        : new(400, "The request body could not be read as framed (for example broken chunked encoding).",
            OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.UnreadableBody);

    /// <summary>408 <c>request_timeout</c>: the body was not whole within the gateway's time for it.</summary>
    public static OpenAIError BodyTimedOut(TimeSpan timeout) =>
        new(408, FormattableString.Invariant($"The request body did not arrive within {timeout.TotalSeconds:0.###} s (RightSize:Gateway:RequestBodyTimeout)."), OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.RequestTimeout);

    /// <summary>
    /// 499 <c>client_closed_request</c> (the status nginx logs for this): the client went away
    /// while its request was being read. Nothing is sent; the status is for logs.
    /// </summary>
    public static OpenAIError ClientClosedRequest() =>
        new(ClientClosedRequestStatus, "The client closed the connection before the request was read.", OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.ClientClosedRequest);

    /// <summary>405 <c>method_not_allowed</c>: the endpoint exists, but not for this method; <paramref name="allowed"/> is the <c>Allow</c> header's value.</summary>
    public static OpenAIError MethodNotAllowed(string method, string allowed) =>
        new(405, Format($"The method {Echo(method)} is not allowed here; use {allowed}."),
            OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.MethodNotAllowed) { Allow = allowed };

    /// <summary>The methods the endpoint does allow, for a 405's <c>Allow</c> header; null otherwise.</summary>
    public string? Allow { get; init; }

    /// <summary>
    /// 403 <c>origin_not_allowed</c>: the request carries an <c>Origin</c> header, which browsers
    /// send on every <c>POST</c> and no OpenAI SDK outside a browser sends. A page on any site could
    /// otherwise have its visitors' browsers spend the gateway's provider key.
    /// </summary>
    public static OpenAIError OriginNotAllowed() =>
        new(403, "RightSize does not take requests from web pages: this request carries an Origin header. Call it from a server-side application.",
            OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.OriginNotAllowed);

    /// <summary>415 <c>unsupported_media_type</c>: the body is not declared as JSON.</summary>
    public static OpenAIError UnsupportedMediaType() =>
        new(415, "The request body must be JSON, sent with 'Content-Type: application/json'.",
            OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.UnsupportedMediaType);

    /// <summary>415 <c>unsupported_media_type</c>: the body is compressed (<c>Content-Encoding</c>), which the gateway does not read.</summary>
    public static OpenAIError UnsupportedContentEncoding() =>
        new(415, "The request body must not be compressed; send it without a Content-Encoding.",
            OpenAIErrorTypes.InvalidRequest, null, OpenAIErrorCodes.UnsupportedMediaType);

    /// <summary>502 <c>upstream_error</c>: the upstream failed or answered with something unusable.</summary>
    public static OpenAIError UpstreamError(string message = "The upstream provider returned an invalid response or the connection failed.") =>
        new(502, message, OpenAIErrorTypes.Server, null, OpenAIErrorCodes.UpstreamError);

    /// <summary>503 <c>upstream_unavailable</c>: no upstream could take the request.</summary>
    public static OpenAIError UpstreamUnavailable(string message = "No upstream provider is available for this request; try again later.") =>
        new(503, message, OpenAIErrorTypes.Server, null, OpenAIErrorCodes.UpstreamUnavailable);

    /// <summary>504 <c>upstream_timeout</c>: the upstream did not answer in time.</summary>
    public static OpenAIError UpstreamTimeout(string message = "The upstream provider did not respond in time.") =>
        new(504, message, OpenAIErrorTypes.Server, null, OpenAIErrorCodes.UpstreamTimeout);

    /// <summary>503 <c>gateway_busy</c>: the request bodies being routed take all the room the gateway gives them; the SDKs retry a 503.</summary>
    public static OpenAIError GatewayBusy() =>
        new(503, "The gateway is routing as many request bytes as it may hold at once (RightSize:Gateway:MaxBufferedRequestBytes); retry shortly.", OpenAIErrorTypes.Server, null, OpenAIErrorCodes.GatewayBusy);

    /// <summary>503 <c>shutting_down</c>: the gateway stopped before the request was finished; retrying reaches another instance.</summary>
    public static OpenAIError ShuttingDown(string message) =>
        new(503, message, OpenAIErrorTypes.Server, null, OpenAIErrorCodes.ShuttingDown);

    /// <summary>500 <c>internal_error</c>: an unexpected failure inside the gateway.</summary>
    public static OpenAIError InternalError() =>
        new(500, "The gateway failed to process the request.", OpenAIErrorTypes.Server, null, OpenAIErrorCodes.InternalError);

    private static string Echo(string value) =>
        value.Length <= MaxEchoLength ? value : string.Concat(value.AsSpan(0, MaxEchoLength), "…");

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
