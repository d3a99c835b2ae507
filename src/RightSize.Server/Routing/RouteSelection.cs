using RightSize.OpenAI.Errors;
using RightSize.Server.Model;

namespace RightSize.Server.Routing;

/// <summary>
/// The outcome of route selection: a route, a pass-through upstream, or an error for the client.
/// <paramref name="ByPath"/>: the route was chosen by the request's path prefix, not its model.
/// </summary>
internal readonly record struct RouteSelection(RouteModel? Route, UpstreamEndpoint? Passthrough, OpenAIError? Error, bool ByPath = false)
{
    public static RouteSelection ForRoute(RouteModel route, bool byPath = false) => new(route, null, null, byPath);

    public static RouteSelection ForPassthrough(UpstreamEndpoint upstream) => new(null, upstream, null);

    public static RouteSelection Failed(OpenAIError error) => new(null, null, error);
}
