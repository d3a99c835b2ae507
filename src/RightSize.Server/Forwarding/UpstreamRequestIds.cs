using System.Net.Http.Headers;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Reads an upstream's own id for a call from its <c>x-request-id</c> header (OpenAI, Azure OpenAI
/// and vLLM send one). The value is the upstream's, so it is kept only when it is an id: 1 to
/// <see cref="AttemptDetails.MaxUpstreamValueLength"/> visible ASCII characters, nothing a log line
/// could be forged with.
/// </summary>
internal static class UpstreamRequestIds
{
    public const string HeaderName = "x-request-id";

    public static string? Read(HttpResponseHeaders headers)
    {
        if (!headers.NonValidated.TryGetValues(HeaderName, out var values) || values.Count != 1) return null;
        var value = values.ToString();
        return IsId(value) ? value : null;
    }

    private static bool IsId(string value)
    {
        if (value.Length is 0 or > AttemptDetails.MaxUpstreamValueLength) return false;
        foreach (var c in value)
        {
            if (c is < '!' or > '~') return false;
        }

        return true;
    }
}
