using RightSize.OpenAI.Errors;
using RightSize.Server.Model;

namespace RightSize.Server.Routing;

/// <summary>
/// Picks what serves a request: the route its path names; else the route whose name or claimed
/// models match <c>model</c>; else a pass-through to the upstream of that concrete model.
/// </summary>
internal static class RouteSelector
{
    /// <summary>The selection for <paramref name="model"/>; for an embeddings request (<paramref name="embeddings"/>) a 404 names the settings that would serve it.</summary>
    public static RouteSelection Select(GatewaySnapshot snapshot, RouteModel? pathRoute, string? model, bool embeddings = false)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (pathRoute is not null) return RouteSelection.ForRoute(pathRoute, byPath: true);
        if (string.IsNullOrEmpty(model))
        {
            return RouteSelection.Failed(OpenAIError.MissingModel());
        }

        if (snapshot.RoutesByName.TryGetValue(model, out var route) || snapshot.RoutesByClaimedModel.TryGetValue(model, out route))
        {
            return RouteSelection.ForRoute(route);
        }

        if (snapshot.PassthroughModels.TryGetValue(model, out var upstream)) return RouteSelection.ForPassthrough(upstream);
        if (snapshot.PassthroughFallback is { } fallback) return RouteSelection.ForPassthrough(fallback);
        return RouteSelection.Failed(embeddings ? OpenAIError.EmbeddingsModelNotFound(model) : OpenAIError.ModelNotRouted(model, snapshot.PassthroughEnabled));
    }

    /// <summary>Finds the route whose path prefix starts <paramref name="path"/>, and the rest of the path after it.</summary>
    public static RouteModel? MatchPrefix(GatewaySnapshot snapshot, string path, out string remainder)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(path);
        var prefixes = snapshot.RoutesByPathPrefix;
        for (var i = 0; i < prefixes.Count; i++)
        {
            var prefix = prefixes[i].Key;
            if (path.Length > prefix.Length && path[prefix.Length] == '/' && path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                remainder = path[prefix.Length..];
                return prefixes[i].Value;
            }
        }

        remainder = path;
        return null;
    }
}
