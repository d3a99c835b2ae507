namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Tiers:{small|mid|frontier}</c>: which model on which upstream serves a tier, and its prices.</summary>
public sealed class TierOptions
{
    public string? Upstream { get; set; }

    public string? Model { get; set; }

    /// <summary>Price of one million prompt tokens, in the operator's currency; 0 when left out, with a configuration note (a route-level tier inherits the global price instead).</summary>
    public decimal? InputPerMTok { get; set; }

    /// <summary>Price of one million completion tokens.</summary>
    public decimal? OutputPerMTok { get; set; }

    /// <summary>Price of one million cached prompt tokens; the input price when not set.</summary>
    public decimal? CachedInputPerMTok { get; set; }
}
