namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Routes:{name}</c>: a routing policy; its name is the virtual model clients ask for.</summary>
public sealed class RouteOptions
{
    /// <summary>Extra path prefix that selects the route (<c>/routes/{name}</c> always does).</summary>
    public string? PathPrefix { get; set; }

    /// <summary>Concrete model names this route takes over on the root path, for applications that cannot change their model.</summary>
    public List<string> ClaimModels { get; set; } = [];

    /// <summary>A fixed tier: no classification.</summary>
    public string? Tier { get; set; }

    /// <summary>The tier used when no classifier model is available.</summary>
    public string DefaultTier { get; set; } = GatewayDefaults.DefaultTier;

    public string? MinTier { get; set; }

    public string? MaxTier { get; set; }

    /// <summary>A cheaper tier is chosen when its probability of being good enough reaches this.</summary>
    public double Threshold { get; set; } = GatewayDefaults.Threshold;

    /// <summary>A classifier decision less confident than this goes to the frontier tier.</summary>
    public double MinConfidence { get; set; }

    /// <summary>Whether a client may force a tier with the <c>x-rightsize-tier</c> header.</summary>
    public bool AllowTierOverride { get; set; } = true;

    public RouteRulesOptions Rules { get; set; } = new();

    /// <summary>Per-route replacements of the global tiers (any field left out is taken from the global tier).</summary>
    public Dictionary<string, TierOptions> Tiers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Longest a request on this route may take, every attempt and the whole stream included.</summary>
    public TimeSpan Deadline { get; set; } = ResilienceDefaults.Deadline;

    /// <summary>A 429 from the last candidate with a <c>Retry-After</c> up to this long is retried once (within the deadline).</summary>
    public TimeSpan RetryAfterLimit { get; set; } = ResilienceDefaults.RetryAfterLimit;

    /// <summary>Where <c>/v1/embeddings</c> goes for this route.</summary>
    public EmbeddingsOptions Embeddings { get; set; } = new();
}
