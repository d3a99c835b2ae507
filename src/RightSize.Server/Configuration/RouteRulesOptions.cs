namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Routes:{name}:Rules</c>: request-shape rules applied after the classifier.</summary>
public sealed class RouteRulesOptions
{
    /// <summary>A request with tools goes to at least this tier; empty turns the rule off.</summary>
    public string? ToolsMinTier { get; set; } = GatewayDefaults.ToolsMinTier;

    /// <summary>A request with image, audio or file content parts goes to at least this tier; empty turns the rule off.</summary>
    public string? MediaMinTier { get; set; } = GatewayDefaults.MediaMinTier;

    /// <summary>A request with more estimated prompt tokens than this goes to the frontier; null turns the rule off.</summary>
    public int? LongPromptTokens { get; set; }
}
