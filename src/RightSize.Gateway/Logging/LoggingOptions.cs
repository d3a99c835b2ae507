using RightSize.Server.Configuration;

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

    /// <summary>
    /// The options in <paramref name="configuration"/>, adding an error for each value that does not
    /// bind or is not a known console format; the defaults when there is any.
    /// </summary>
    public static LoggingOptions Read(IConfiguration configuration, List<string> errors)
    {
        var options = new LoggingOptions();
        if (!SectionBinding.TryBind(configuration.GetSection(SectionName), options, errors)) return new LoggingOptions();

        if (!IsConsoleFormat(options.Console))
        {
            errors.Add($"{SectionName}:Console must be json or text; it is '{options.Console}'.");
            return new LoggingOptions();
        }

        return options;
    }

    private static bool IsConsoleFormat(string? value) =>
        string.Equals(value, "json", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "text", StringComparison.OrdinalIgnoreCase);
}
