using Microsoft.Extensions.Configuration;

namespace RightSize.Server.Configuration;

/// <summary>
/// A configuration key read outside <see cref="RightSizeOptions"/>, by the host or another part of
/// the gateway (<c>RightSize:Logging</c>, <c>RightSize:Gateway:DrainDelay</c>, <c>Kestrel:Limits</c>):
/// under <c>RightSize</c>, the unknown-key check accepts it, and below it the settings of <paramref name="Type"/>.
/// Register one per key as a singleton.
/// </summary>
/// <param name="Key">The full configuration key, such as <c>RightSize:Logging</c>.</param>
/// <param name="Type">The type its value binds to: an options class, or a value type such as <see cref="TimeSpan"/>.</param>
public sealed record KnownSetting(string Key, Type Type)
{
    /// <summary>
    /// Adds an error for each value the setting's reader would refuse, given the whole
    /// configuration. It runs with the gateway's own checks at start-up, so every error is listed
    /// together, and on every reload: a setting read only at start-up takes no effect when it
    /// changes, but a value the next start would refuse is rejected at once.
    /// </summary>
    public Action<IConfiguration, List<string>>? Check { get; init; }
}
