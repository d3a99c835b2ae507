using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RightSize.Server.Hosting;

namespace RightSize.Server.Tests.Hosting;

public sealed class GatewayLifecycleTests
{
    [Theory]
    [InlineData(30.0, 29.0)]
    [InlineData(4.0, 3.0)]
    [InlineData(2.0, 1.5)]
    [InlineData(0.2, 0.15)]
    public void CutoffDelay_KeepsBackAQuarterOfTheTimeoutUpToOneSecond(double timeoutSeconds, double expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), GatewayLifecycle.CutoffDelay(TimeSpan.FromSeconds(timeoutSeconds)));

    [Fact]
    public void Cutoff_FiresOnlyOnceTheDelayAfterStoppingHasPassed()
    {
        var time = new FakeTimeProvider();
        using var lifetime = new Lifetime();
        using var lifecycle = new GatewayLifecycle(lifetime, Options.Create(new HostOptions { ShutdownTimeout = TimeSpan.FromSeconds(10) }), time);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(lifecycle.IsDraining);
        Assert.False(lifecycle.Cutoff.IsCancellationRequested);

        lifetime.StopApplication();
        Assert.True(lifecycle.IsDraining);
        time.Advance(TimeSpan.FromSeconds(9) - TimeSpan.FromMilliseconds(1));
        Assert.False(lifecycle.Cutoff.IsCancellationRequested);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(lifecycle.Cutoff.IsCancellationRequested);
    }

    [Fact]
    public void Cutoff_InfiniteShutdownTimeout_NeverFires()
    {
        var time = new FakeTimeProvider();
        using var lifetime = new Lifetime();
        using var lifecycle = new GatewayLifecycle(lifetime, Options.Create(new HostOptions { ShutdownTimeout = Timeout.InfiniteTimeSpan }), time);

        lifetime.StopApplication();
        time.Advance(TimeSpan.FromDays(1));

        Assert.True(lifecycle.IsDraining);
        Assert.False(lifecycle.Cutoff.IsCancellationRequested);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
