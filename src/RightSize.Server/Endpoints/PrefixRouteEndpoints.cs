using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using RightSize.Server.Model;

namespace RightSize.Server.Endpoints;

/// <summary>
/// What ASP.NET Core's own telemetry calls a request served under a route's path prefix. The
/// fallback endpoint (<c>{**path}</c>) serves them, so without this their server span would be
/// <c>POST {**path}</c> and their <c>http.server.request.duration</c> would be lumped with 404s.
/// The fallback swaps in one of these endpoints, whose only use is its template:
/// <c>/routes/{route}/v1/chat/completions</c> under the default prefix, and
/// <c>{path_prefix}/v1/chat/completions</c> under a route's own <c>PathPrefix</c>.
/// </summary>
internal static class PrefixRouteEndpoints
{
    private static readonly FrozenDictionary<OpenAIOperation, Endpoint> UnderDefaultPrefix = Build(GatewaySnapshotBuilder.DefaultPathPrefixRoot + "{route}");
    private static readonly FrozenDictionary<OpenAIOperation, Endpoint> UnderOwnPrefix = Build("{path_prefix}");

    /// <summary>Marks <paramref name="context"/> as served by the template for <paramref name="operation"/> under <paramref name="route"/>'s prefix.</summary>
    public static void Mark(HttpContext context, RouteModel route, string path, string remainder, OpenAIOperation operation)
    {
        var prefix = path.AsSpan(0, path.Length - remainder.Length);
        var isDefault = prefix.StartsWith(GatewaySnapshotBuilder.DefaultPathPrefixRoot, StringComparison.OrdinalIgnoreCase)
            && prefix[GatewaySnapshotBuilder.DefaultPathPrefixRoot.Length..].Equals(route.Name, StringComparison.OrdinalIgnoreCase);
        if ((isDefault ? UnderDefaultPrefix : UnderOwnPrefix).TryGetValue(operation, out var endpoint)) context.SetEndpoint(endpoint);
    }

    private static FrozenDictionary<OpenAIOperation, Endpoint> Build(string prefixTemplate)
    {
        var endpoints = new Dictionary<OpenAIOperation, Endpoint>();
        foreach (var operation in Enum.GetValues<OpenAIOperation>())
        {
            var template = prefixTemplate + "/v1" + OpenAIPaths.UpstreamPath(operation);
            endpoints[operation] = new RouteEndpoint(
                static _ => Task.CompletedTask,
                RoutePatternFactory.Parse(template),
                order: 0,
                new EndpointMetadataCollection(new RouteTemplate(template)),
                template);
        }

        return endpoints.ToFrozenDictionary();
    }

    private sealed record RouteTemplate(string Route) : IRouteDiagnosticsMetadata;
}
