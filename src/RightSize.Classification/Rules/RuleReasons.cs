namespace RightSize.Classification.Rules;

/// <summary>The decision reasons (<c>x-rightsize-reason</c>) of the request-shape rules.</summary>
public static class RuleReasons
{
    public const string Tools = "rule:tools";
    public const string Media = "rule:media";
    public const string LongPrompt = "rule:long-prompt";
}
