using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using RightSize.Server.Model;

namespace RightSize.Server.Endpoints;

/// <summary>
/// What ASP.NET Core's own telemetry calls a request that the fallback endpoint (<c>{**path}</c>)
/// serves: an API path under a route's path prefix, or a model lookup. Without this, their server
/// span would be <c>POST {**path}</c> and their <c>http.server.request.duration</c> would be lumped
/// with 404s. The fallback swaps in one of these endpoints, whose only use is its template:
/// <c>/routes/{route}/v1/chat/completions</c> under the default prefix,
/// <c>{path_prefix}/v1/chat/completions</c> under a route's own <c>PathPrefix</c>, and
/// <c>/v1/models/{model}</c> (under either prefix too) for a model lookup.
/// </summary>
internal static class PrefixRouteEndpoints
{
    private const string DefaultPrefix = GatewaySnapshotBuilder.DefaultPathPrefixRoot + "{route}";
    private const string OwnPrefix = "{path_prefix}";
    private const string ModelLookup = OpenAIPaths.Models + "/{model}";

    private static readonly FrozenDictionary<OpenAIOperation, Endpoint> UnderDefaultPrefix = BuildOperations(DefaultPrefix);
    private static readonly FrozenDictionary<OpenAIOperation, Endpoint> UnderOwnPrefix = BuildOperations(OwnPrefix);
    private static readonly Endpoint ModelUnprefixed = Build(ModelLookup);
    private static readonly Endpoint ModelUnderDefaultPrefix = Build(DefaultPrefix + ModelLookup);
    private static readonly Endpoint ModelUnderOwnPrefix = Build(OwnPrefix + ModelLookup);

    /// <summary>Marks <paramref name="context"/> as served by the template for <paramref name="operation"/> under <paramref name="route"/>'s prefix.</summary>
    public static void Mark(HttpContext context, RouteModel route, string path, string remainder, OpenAIOperation operation)
    {
        if ((IsDefaultPrefix(route, path, remainder) ? UnderDefaultPrefix : UnderOwnPrefix).TryGetValue(operation, out var endpoint)) context.SetEndpoint(endpoint);
    }

    /// <summary>Marks <paramref name="context"/> as a model lookup, under <paramref name="route"/>'s prefix when it has one.</summary>
    public static void MarkModelLookup(HttpContext context, RouteModel? route, string path, string remainder) =>
        context.SetEndpoint(route is null ? ModelUnprefixed : IsDefaultPrefix(route, path, remainder) ? ModelUnderDefaultPrefix : ModelUnderOwnPrefix);

    private static bool IsDefaultPrefix(RouteModel route, string path, string remainder)
    {
        var prefix = path.AsSpan(0, path.Length - remainder.Length);
        return prefix.StartsWith(GatewaySnapshotBuilder.DefaultPathPrefixRoot, StringComparison.OrdinalIgnoreCase)
            && prefix[GatewaySnapshotBuilder.DefaultPathPrefixRoot.Length..].Equals(route.Name, StringComparison.OrdinalIgnoreCase);
    }

    private static FrozenDictionary<OpenAIOperation, Endpoint> BuildOperations(string prefixTemplate)
    {
        var endpoints = new Dictionary<OpenAIOperation, Endpoint>();
        foreach (var operation in Enum.GetValues<OpenAIOperation>()) endpoints[operation] = Build(prefixTemplate + "/v1" + OpenAIPaths.UpstreamPath(operation));
        return endpoints.ToFrozenDictionary();
    }

    private static RouteEndpoint Build(string template) => new(
        static _ => Task.CompletedTask,
        RoutePatternFactory.Parse(template),
        order: 0,
        new EndpointMetadataCollection(new RouteTemplate(template)),
        template);

    private sealed record RouteTemplate(string Route) : IRouteDiagnosticsMetadata;
}
