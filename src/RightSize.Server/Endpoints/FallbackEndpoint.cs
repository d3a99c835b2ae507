using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Routing;

namespace RightSize.Server.Endpoints;

/// <summary>
/// Everything the fixed endpoints do not match: API paths under a route's prefix
/// (<c>/routes/{name}/v1/...</c> or a configured <c>PathPrefix</c>), <c>/v1/models/{model}</c>
/// (under a prefix too), else an OpenAI-shaped 404.
/// </summary>
internal sealed class FallbackEndpoint(GatewaySnapshotStore store, ProxyRequestHandler proxy, ModelsEndpoint models)
{
    private const string ModelPathRoot = OpenAIPaths.Models + "/";

    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        var snapshot = store.Current;
        var route = RouteSelector.MatchPrefix(snapshot, path, out var remainder);
        if (route is not null && OpenAIPaths.TryParse(remainder, out var operation))
        {
            PrefixRouteEndpoints.Mark(context, route, path, remainder, operation);
            return operation == OpenAIOperation.Models ? models.HandleAsync(context) : proxy.HandleAsync(context, operation, snapshot, route);
        }

        if (remainder.StartsWith(ModelPathRoot, StringComparison.OrdinalIgnoreCase) && remainder.Length > ModelPathRoot.Length)
        {
            // The SDKs escape a '/' inside a model id (meta-llama/...) as %2F. The server decodes
            // every other escape but keeps that one, so it is the only one left to decode here:
            // decoding the whole id again would turn a literal "%6F" (sent as %256F) into "o".
            PrefixRouteEndpoints.MarkModelLookup(context, route, path, remainder);
            return models.HandleModelAsync(context, remainder[ModelPathRoot.Length..].Replace("%2F", "/", StringComparison.OrdinalIgnoreCase));
        }

        if (route is null && path.StartsWith(GatewaySnapshotBuilder.DefaultPathPrefixRoot, StringComparison.OrdinalIgnoreCase))
        {
            var rest = path[GatewaySnapshotBuilder.DefaultPathPrefixRoot.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var name = slash < 0 ? rest : rest[..slash];

            // A route that exists but is not served at this URL (no API path after it, or a route
            // with its own PathPrefix) is an unknown URL, not an unknown route.
            if (!snapshot.RoutesByName.ContainsKey(name)) return ErrorResponses.WriteAsync(context, OpenAIError.RouteNotFound(name));
        }

        // An OpenAI API the gateway does not serve (the Responses API, files, images...): say which
        // it does; a served one without its /v1 (a base URL that lacks it): say where it is.
        var served = remainder.StartsWith(OpenAIPaths.ApiRoot, StringComparison.OrdinalIgnoreCase) ? OpenAIPaths.ServedApis
            : OpenAIPaths.TryParse(OpenAIPaths.ApiRoot[..^1] + remainder, out _) ? OpenAIPaths.MissingApiRoot
            : null;
        return ErrorResponses.WriteAsync(context, OpenAIError.UnknownUrl(context.Request.Method, path, served));
    }
}
