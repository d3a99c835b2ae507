namespace RightSize.Server.Tests.Stats;

/// <summary>A clock the test moves by hand (the FakeTimeProvider package is not referenced by this project).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    // Elapsed times (GetElapsedTime) follow the same hand-moved clock.
    public override long GetTimestamp() => Now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => Now += by;
}
