using System.Buffers;
using System.Text;
using RightSize.Server.Forwarding;
using Serilog.Core;
using Serilog.Events;

namespace RightSize.Gateway.Logging;

/// <summary>
/// The last line of defence for what reaches a log: drops properties that would carry prompt or
/// completion text unless content logging is on, and always masks properties that would carry
/// credentials, and the credentials of any URL in a property (<c>user:password@</c>: start-up
/// refuses an upstream <c>BaseUrl</c> with them, and this catches any other URL a library logs;
/// and the values of <see cref="QueryCredentials"/>, such as <c>?api-key=</c>, which ASP.NET Core's
/// request lines carry at Information).
/// Code that ever logs content must use one of <see cref="ContentProperties"/>.
/// </summary>
public sealed class LogRedaction(bool includeContent) : ILogEventEnricher
{
    public const string Redacted = "[redacted]";

    // The characters a URL's user information may hold (RFC 3986): credentials are a run of them between "://" and '@'.
    private static readonly SearchValues<char> UserInfo = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%!$&'()*+,;=:");

    /// <summary>Property names that carry request or response content.</summary>
    public static readonly IReadOnlySet<string> ContentProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Prompt", "Messages", "Content", "Completion", "RequestBody", "ResponseBody", "Body", "Input", "Output",
    };

    /// <summary>Property names that carry credentials, the <see cref="CredentialHeaders"/> other providers' clients send a key in included.</summary>
    public static readonly IReadOnlySet<string> SecretProperties = new HashSet<string>(
        ["Authorization", "ApiKey", "Key", "Secret", "Password", "Token", "Cookie", .. CredentialHeaders.Names],
        StringComparer.OrdinalIgnoreCase);

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<string>? remove = null;
        List<string>? mask = null;
        List<LogEventProperty>? urls = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (SecretProperties.Contains(name)) (mask ??= []).Add(name);
            else if (!includeContent && ContentProperties.Contains(name)) (remove ??= []).Add(name);
            else if (value is ScalarValue { Value: string or Uri } scalar && WithoutCredentials(scalar.Value.ToString()!) is { } stripped) (urls ??= []).Add(new LogEventProperty(name, new ScalarValue(stripped)));
        }

        if (remove is not null)
        {
            foreach (var name in remove) logEvent.RemovePropertyIfPresent(name);
        }

        if (mask is not null)
        {
            foreach (var name in mask) logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Redacted)));
        }

        if (urls is not null)
        {
            foreach (var property in urls) logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary><paramref name="text"/> with URL credentials and credential query values masked; null when it has neither.</summary>
    private static string? WithoutCredentials(string text)
    {
        // Both need one: "://" before user information, '=' in a query parameter. Most values (names, ids) have neither.
        if (text.AsSpan().IndexOfAny(':', '=') < 0) return null;
        var withoutUserInfo = WithoutUrlCredentials(text);
        return QueryCredentials.Mask(withoutUserInfo ?? text, Redacted) ?? withoutUserInfo;
    }

    /// <summary>
    /// <paramref name="text"/> with the credentials of its URLs (<c>https://user:password@host/</c>)
    /// replaced by <see cref="Redacted"/>; null when it has none.
    /// </summary>
    public static string? WithoutUrlCredentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? result = null;
        var copied = 0;
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        while (scheme >= 0)
        {
            var authority = scheme + 3;
            var end = text.AsSpan(authority).IndexOfAnyExcept(UserInfo);
            end = end < 0 ? text.Length : authority + end;
            if (end < text.Length && text[end] == '@' && end > authority)
            {
                result ??= new StringBuilder(text.Length);
                result.Append(text, copied, authority - copied).Append(Redacted);
                copied = end;
            }

            scheme = text.IndexOf("://", end, StringComparison.Ordinal);
        }

        return result?.Append(text, copied, text.Length - copied).ToString();
    }
}
