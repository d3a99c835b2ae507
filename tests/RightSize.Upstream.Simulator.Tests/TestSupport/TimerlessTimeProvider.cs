namespace RightSize.Upstream.Simulator.Tests.TestSupport;

/// <summary>The system clock, except that every timer fails: any delay the simulator takes throws.</summary>
internal sealed class TimerlessTimeProvider : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        => throw new InvalidOperationException("This clock has no timers.");
}
