namespace RightSize.Server.Model;

/// <summary>Prices of a tier per million tokens.</summary>
internal sealed record TierPrices(decimal InputPerMTok, decimal OutputPerMTok, decimal CachedInputPerMTok);
