using System.Net.Http.Headers;

namespace RightSize.OpenAI.Requests;

/// <summary>
/// Which request <c>Content-Type</c> values the gateway reads as JSON: <c>application/json</c>,
/// <c>text/json</c> and any <c>application/*+json</c> (the types ASP.NET Core's own JSON input
/// accepts), with or without parameters, in any case. A request without the header is read as
/// JSON too (the body decides). Anything else, such as the form encoding <c>curl -d</c> sends by
/// default, is refused: a provider would not read it as JSON either.
/// </summary>
public static class JsonContentType
{
    /// <summary>Whether a body sent with <paramref name="contentType"/> may be parsed as JSON.</summary>
    public static bool IsAcceptable(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType)) return true;
        if (IsPlainApplicationJson(contentType)) return true;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is not { } mediaType) return false;
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    // What every SDK sends ("application/json", perhaps with "; charset=utf-8"), answered without parsing.
    private static bool IsPlainApplicationJson(string contentType) =>
        contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == "application/json".Length || contentType["application/json".Length] == ';');
}
