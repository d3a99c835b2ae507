using RightSize.Classification.Rules;

namespace RightSize.Server.Policy;

/// <summary>The values of <c>x-rightsize-reason</c>.</summary>
internal static class DecisionReasons
{
    public const string Classifier = "classifier";
    public const string LowConfidence = "low-confidence";
    public const string Override = "override";
    public const string Fixed = "fixed";
    public const string DefaultTier = "default-tier";
    public const string ToolsRule = RuleReasons.Tools;
    public const string MediaRule = RuleReasons.Media;
    public const string LongPromptRule = RuleReasons.LongPrompt;
    public const string Passthrough = "passthrough";
    public const string FallbackPrefix = "fallback:";
}
