using Serilog.Core;
using Serilog.Events;

namespace RightSize.Gateway.Logging;

/// <summary>
/// The last line of defence for what reaches a log: drops properties that would carry prompt or
/// completion text unless content logging is on, and always masks properties that would carry
/// credentials. Code that ever logs content must use one of <see cref="ContentProperties"/>.
/// </summary>
public sealed class LogRedaction(bool includeContent) : ILogEventEnricher
{
    public const string Redacted = "[redacted]";

    /// <summary>Property names that carry request or response content.</summary>
    public static readonly IReadOnlySet<string> ContentProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Prompt", "Messages", "Content", "Completion", "RequestBody", "ResponseBody", "Body", "Input", "Output",
    };

    /// <summary>Property names that carry credentials.</summary>
    public static readonly IReadOnlySet<string> SecretProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "ApiKey", "api-key", "Api-Key", "Key", "Secret", "Password", "Token", "Cookie",
    };

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<string>? remove = null;
        List<string>? mask = null;
        foreach (var name in logEvent.Properties.Keys)
        {
            if (SecretProperties.Contains(name)) (mask ??= []).Add(name);
            else if (!includeContent && ContentProperties.Contains(name)) (remove ??= []).Add(name);
        }

        if (remove is not null)
        {
            foreach (var name in remove) logEvent.RemovePropertyIfPresent(name);
        }

        if (mask is not null)
        {
            foreach (var name in mask) logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Redacted)));
        }
    }
}
