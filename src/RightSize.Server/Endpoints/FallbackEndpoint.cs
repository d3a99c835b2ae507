using Microsoft.AspNetCore.Http;
using RightSize.OpenAI.Errors;
using RightSize.Server.Configuration;
using RightSize.Server.Forwarding;
using RightSize.Server.Model;
using RightSize.Server.Routing;

namespace RightSize.Server.Endpoints;

/// <summary>
/// Everything the fixed endpoints do not match: API paths under a route's prefix
/// (<c>/routes/{name}/v1/...</c> or a configured <c>PathPrefix</c>), else an OpenAI-shaped 404.
/// </summary>
public sealed class FallbackEndpoint(GatewaySnapshotStore store, ProxyRequestHandler proxy, ModelsEndpoint models)
{
    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? "/";
        var route = RouteSelector.MatchPrefix(store.Current, path, out var remainder);
        if (route is not null && OpenAIPaths.TryParse(remainder, out var operation))
        {
            return operation == OpenAIOperation.Models ? models.HandleAsync(context) : proxy.HandleAsync(context, operation, route);
        }

        if (route is null && path.StartsWith(GatewaySnapshotBuilder.DefaultPathPrefixRoot, StringComparison.OrdinalIgnoreCase))
        {
            var name = path[GatewaySnapshotBuilder.DefaultPathPrefixRoot.Length..];
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            return ErrorResponses.WriteAsync(context, OpenAIError.RouteNotFound(slash < 0 ? name : name[..slash]));
        }

        return ErrorResponses.WriteAsync(context, OpenAIError.UnknownUrl(context.Request.Method, path));
    }
}
