using System.Text.Json;
using RightSize.Server.Model;

namespace RightSize.Server.Forwarding;

/// <summary>One place a request may be sent: a tier's upstream and model (or a pass-through upstream).</summary>
/// <param name="TierName">The tier, or null for a pass-through.</param>
/// <param name="Upstream">Where to send.</param>
/// <param name="Model">The concrete model.</param>
/// <param name="EncodedModel">The model as a JSON string for the body rewrite, or null to send the body unchanged.</param>
/// <param name="Prices">The tier's prices, or null for a pass-through.</param>
internal readonly record struct ForwardCandidate(string? TierName, UpstreamEndpoint Upstream, string Model, JsonEncodedText? EncodedModel, TierPrices? Prices)
{
    public static ForwardCandidate For(TierTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new(target.TierName, target.Upstream, target.Model, target.EncodedModel, target.Prices);
    }
}
