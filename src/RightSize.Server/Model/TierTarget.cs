using System.Text.Json;
using RightSize.Classification;

namespace RightSize.Server.Model;

/// <summary>Where one tier of one route sends its requests: an upstream and a concrete model, with prices.</summary>
internal sealed record TierTarget(Tier Tier, UpstreamEndpoint Upstream, string Model, TierPrices Prices)
{
    /// <summary>The model as a JSON string, encoded once for every body rewrite.</summary>
    public JsonEncodedText EncodedModel { get; } = JsonEncodedText.Encode(Model);

    /// <summary>The tier's wire name, cached for headers.</summary>
    public string TierName { get; } = Tier.ToName();
}
