namespace RightSize.Server.Configuration;

/// <summary>
/// A key under <c>RightSize</c> that is read outside <see cref="RightSizeOptions"/>, by the host
/// or another part of the gateway (<c>RightSize:Logging</c>, <c>RightSize:Gateway:DrainDelay</c>):
/// the unknown-key check accepts it, and below it the settings of <paramref name="Type"/>.
/// Register one per key as a singleton.
/// </summary>
/// <param name="Key">The full configuration key, such as <c>RightSize:Logging</c>.</param>
/// <param name="Type">The type its value binds to: an options class, or a value type such as <see cref="TimeSpan"/>.</param>
public sealed record KnownSetting(string Key, Type Type);
