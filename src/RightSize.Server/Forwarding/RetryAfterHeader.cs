using System.Globalization;
using System.Net.Http.Headers;

namespace RightSize.Server.Forwarding;

/// <summary>
/// How long an upstream asks the client to wait before it tries again. <c>retry-after-ms</c>
/// (OpenAI and Azure OpenAI send it beside <c>Retry-After</c>) is the most precise;
/// <c>Retry-After</c> comes as seconds or as an HTTP date (RFC 9110 §10.2.3), the date read
/// against the time given and a date already past meaning no wait.
/// </summary>
internal static class RetryAfterHeader
{
    public const string MillisecondsHeader = "retry-after-ms";

    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.TryGetValues(MillisecondsHeader, out var values)
            && values.FirstOrDefault() is { } text
            && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds <= TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        return headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        };
    }
}
