namespace RightSize.Server.Model;

/// <summary>
/// Where a concrete model that no route claims goes when a client names it: the upstream of a tier
/// that serves it, and that tier's prices, so its cost is counted. Null prices when tiers that
/// serve the model are priced differently: no price would be the right one.
/// </summary>
public sealed record PassthroughTarget(UpstreamEndpoint Upstream, TierPrices? Prices);
