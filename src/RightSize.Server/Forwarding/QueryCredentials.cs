using Microsoft.AspNetCore.Http;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Query parameters that carry a credential (<c>?api-key=</c>, <c>?key=</c>, <c>?access_token=</c>, Azure API Management's <c>?subscription-key=</c>, Azure Functions' <c>?code=</c>):
/// some clients send their key this way. Like the <c>Authorization</c> header, such a key belongs
/// to the client and never goes upstream (each upstream has its own), and logs mask its value.
/// </summary>
internal static class QueryCredentials
{
    /// <summary>The parameter names, matched without regard to case.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "api-key", "api_key", "apikey", "key", "access_token", "token", "subscription-key", "code",
    };

    /// <summary>The query without its credential parameters, every other byte as the client sent it; the same value when it has none.</summary>
    public static QueryString Remove(QueryString query)
    {
        if (!query.HasValue || !HasAny(query.Value!)) return query;
        var kept = query.Value![1..].Split('&').Where(pair => !IsCredential(pair.AsSpan()));
        var joined = string.Join('&', kept);
        return joined.Length == 0 ? QueryString.Empty : new QueryString("?" + joined);
    }

    /// <summary><paramref name="text"/> (a URL, a path and query, or a query) with the values of its credential parameters replaced by <paramref name="replacement"/>; null when it has none.</summary>
    public static string? Mask(string text, string replacement)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasAny(text)) return null;
        var result = new System.Text.StringBuilder(text.Length);
        var copied = 0;
        for (var start = NextParameter(text, 0); start >= 0; start = NextParameter(text, start))
        {
            var end = text.AsSpan(start).IndexOfAny('&', '#', ' ');
            end = end < 0 ? text.Length : start + end;
            var equals = text.AsSpan(start, end - start).IndexOf('=');
            if (equals > 0 && IsCredential(text.AsSpan(start, end - start)))
            {
                result.Append(text, copied, start + equals + 1 - copied).Append(replacement);
                copied = end;
            }

            start = end;
        }

        return copied == 0 ? null : result.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The start of the next parameter after a <c>?</c> or <c>&amp;</c> at or after <paramref name="from"/>, or -1.</summary>
    private static int NextParameter(string text, int from)
    {
        var separator = text.AsSpan(from).IndexOfAny('?', '&');
        return separator < 0 ? -1 : from + separator + 1;
    }

    /// <summary>Whether a <c>name=value</c> pair names a credential; the name is compared decoded (<c>api%2Dkey</c> too).</summary>
    private static bool IsCredential(ReadOnlySpan<char> pair)
    {
        var equals = pair.IndexOf('=');
        var name = (equals < 0 ? pair : pair[..equals]).ToString();
        return Names.Contains(name.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(name) : name);
    }

    /// <summary>A cheap first look: does any name appear at all. Every name holds one of these (or is escaped, with a <c>%</c>).</summary>
    private static bool HasAny(string text) =>
        text.Contains("key", StringComparison.OrdinalIgnoreCase) || text.Contains("token", StringComparison.OrdinalIgnoreCase)
        || text.Contains("code", StringComparison.OrdinalIgnoreCase) || text.Contains('%', StringComparison.Ordinal);
}
