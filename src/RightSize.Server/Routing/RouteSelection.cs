using RightSize.OpenAI.Errors;
using RightSize.Server.Model;

namespace RightSize.Server.Routing;

/// <summary>The outcome of route selection: a route, a pass-through upstream, or an error for the client.</summary>
internal readonly record struct RouteSelection(RouteModel? Route, UpstreamEndpoint? Passthrough, OpenAIError? Error)
{
    public static RouteSelection ForRoute(RouteModel route) => new(route, null, null);

    public static RouteSelection ForPassthrough(UpstreamEndpoint upstream) => new(null, upstream, null);

    public static RouteSelection Failed(OpenAIError error) => new(null, null, error);
}
