using RightSize.OpenAI.Errors;
using RightSize.Server.Model;

namespace RightSize.Server.Routing;

/// <summary>
/// The outcome of route selection: a route, a pass-through upstream (with the prices of the tier
/// that serves the model, when they are known), or an error for the client.
/// </summary>
public readonly record struct RouteSelection(RouteModel? Route, UpstreamEndpoint? Passthrough, TierPrices? PassthroughPrices, OpenAIError? Error)
{
    public static RouteSelection ForRoute(RouteModel route) => new(route, null, null, null);

    public static RouteSelection ForPassthrough(UpstreamEndpoint upstream, TierPrices? prices) => new(null, upstream, prices, null);

    public static RouteSelection Failed(OpenAIError error) => new(null, null, null, error);
}
