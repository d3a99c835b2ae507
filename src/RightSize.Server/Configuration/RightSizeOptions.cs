namespace RightSize.Server.Configuration;

/// <summary>The <c>RightSize</c> configuration section, as bound from appsettings and <c>RightSize__...</c> variables.</summary>
public sealed class RightSizeOptions
{
    public const string SectionName = "RightSize";

    public ClassifierOptions Classifier { get; set; } = new();

    public GatewayOptions Gateway { get; set; } = new();

    public Dictionary<string, UpstreamOptions> Upstreams { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, TierOptions> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, RouteOptions> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public PassthroughOptions Passthrough { get; set; } = new();
}
