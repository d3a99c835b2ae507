namespace RightSize.Gateway.Logging;

/// <summary><c>RightSize:Logging</c>: how the host writes logs.</summary>
public sealed class LoggingOptions
{
    public const string SectionName = "RightSize:Logging";

    /// <summary><c>json</c> (default): one compact JSON object per line; <c>text</c>: readable lines (the demo).</summary>
    public string Console { get; set; } = "json";

    /// <summary>
    /// Off by default. Nothing in RightSize logs prompt or completion text today; a log property
    /// that would carry content (see <see cref="LogRedaction.ContentProperties"/>) is removed from
    /// every event unless this is true. Credentials are removed whatever it says.
    /// </summary>
    public bool IncludeContent { get; set; }
}
