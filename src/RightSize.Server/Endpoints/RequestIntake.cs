using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RightSize.OpenAI.Errors;
using RightSize.OpenAI.Requests;
using RightSize.Server.Buffers;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Routing;

namespace RightSize.Server.Endpoints;

/// <summary>
/// The steps every routed request and the dry run share: POST only, no <c>Origin</c> header
/// (<see cref="OpenAIError.OriginNotAllowed"/>), a JSON (or undeclared)
/// <c>Content-Type</c>, no <c>Content-Encoding</c>, a bounded body read into a pooled buffer
/// (<see cref="RequestBodyReader"/>: a 413 over the limit, a 503 when the gateway has no room), the parse for the operation,
/// and route selection. Any failure is an OpenAI-shaped error (the client's 4xx, or that 503), decided before anything
/// reaches an upstream.
/// </summary>
internal static class RequestIntake
{
    public static async Task<RequestIntakeResult> ReadAsync(HttpContext context, GatewaySnapshot snapshot, OpenAIOperation operation, RouteModel? pathRoute, RequestBodyBudget.Lease lease, PooledBuffer body)
    {
        if (!HttpMethods.IsPost(context.Request.Method)) return RequestIntakeResult.Failed(OpenAIError.MethodNotAllowed(context.Request.Method, "POST"));
        // A browser sends Origin on every POST, same-origin or not, and a cross-origin one without a
        // Content-Type (or with text/plain) needs no preflight: a page on any site could make its
        // visitors spend the provider key. No SDK outside a browser sends one. Refused before the
        // body is read; other methods keep their 405, so a preflight still gets no CORS answer.
        if (context.Request.Headers.ContainsKey(HeaderNames.Origin)) return RequestIntakeResult.Failed(OpenAIError.OriginNotAllowed());
        if (!JsonContentType.IsAcceptable(context.Request.ContentType)) return RequestIntakeResult.Failed(OpenAIError.UnsupportedMediaType());
        // The body is parsed and rewritten as sent, so only "identity" (or no header) will do.
        if (ContentCodings.Of(context.Request.Headers.ContentEncoding).Length > 0) return RequestIntakeResult.Failed(OpenAIError.UnsupportedContentEncoding());
        var error = await RequestBodyReader.ReadAsync(context.Request, snapshot.MaxRequestBodyBytes, snapshot.RequestBodyTimeout, lease, body, context.RequestAborted);
        if (error is not null) return RequestIntakeResult.Failed(error);
        if (!TryParse(operation, body.WrittenSpan, out var request, out error)) return RequestIntakeResult.Failed(error);
        var selection = RouteSelector.Select(snapshot, pathRoute, request.Model, embeddings: operation == OpenAIOperation.Embeddings);
        return selection.Error is { } selectionError ? RequestIntakeResult.Failed(selectionError) : new RequestIntakeResult(request, selection, null);
    }

    private static bool TryParse(OpenAIOperation operation, ReadOnlySpan<byte> body, [NotNullWhen(true)] out ParsedRequest? request, [NotNullWhen(false)] out OpenAIError? error) => operation switch
    {
        OpenAIOperation.ChatCompletions => OpenAIRequestParser.TryParseChat(body, out request, out error),
        OpenAIOperation.Completions => OpenAIRequestParser.TryParseCompletion(body, out request, out error),
        _ => OpenAIRequestParser.TryParseEmbeddings(body, out request, out error),
    };
}

/// <summary>A parsed and routed request, or the error to answer with.</summary>
internal readonly record struct RequestIntakeResult(ParsedRequest? Request, RouteSelection Selection, OpenAIError? Error)
{
    public static RequestIntakeResult Failed(OpenAIError error) => new(null, default, error);
}
