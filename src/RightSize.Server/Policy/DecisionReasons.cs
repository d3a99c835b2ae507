namespace RightSize.Server.Policy;

/// <summary>The values of <c>x-rightsize-reason</c>.</summary>
internal static class DecisionReasons
{
    public const string Classifier = "classifier";
    public const string LowConfidence = "low-confidence";
    public const string Override = "override";
    public const string Fixed = "fixed";
    public const string DefaultTier = "default-tier";
    public const string ToolsRule = "rule:tools";
    public const string MediaRule = "rule:media";
    public const string LongPromptRule = "rule:long-prompt";
    public const string Passthrough = "passthrough";
    public const string FallbackPrefix = "fallback:";
}
