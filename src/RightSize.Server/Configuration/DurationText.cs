using System.Globalization;

namespace RightSize.Server.Configuration;

/// <summary>The one rule for durations written in configuration, used by the binder's check and the host's own.</summary>
internal static class DurationText
{
    /// <summary>
    /// A bare number, such as <c>30</c>: <see cref="TimeSpan"/> reads it as days, which is never
    /// what a timeout or deadline meant; a value with days and a time (<c>1.00:00:00</c>) has a
    /// colon. Zero is zero in any unit (<c>RetryAfterLimit: 0</c> turns the retry off).
    /// </summary>
    public static bool IsBareDays(string? value) =>
        value is not null && !value.Contains(':', StringComparison.Ordinal)
        && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var days) && days != TimeSpan.Zero;
}
