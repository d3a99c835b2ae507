namespace RightSize.Server.Policy;

/// <summary>The values of <c>x-rightsize-reason</c>; the request-shape rules' own are <see cref="RightSize.Classification.Rules.RuleReasons"/>.</summary>
internal static class DecisionReasons
{
    public const string Classifier = "classifier";
    public const string LowConfidence = "low-confidence";
    public const string Override = "override";
    public const string Fixed = "fixed";
    public const string DefaultTier = "default-tier";
    public const string Passthrough = "passthrough";
    public const string FallbackPrefix = "fallback:";
}
