using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RightSize.Server.Hosting;

/// <summary>
/// Tracks the host's shutdown: readiness turns false as soon as it begins, and
/// <see cref="Cutoff"/> fires shortly before the host's <see cref="HostOptions.ShutdownTimeout"/>
/// runs out, so that requests still in flight end with an error their clients can read (a 503, or
/// an error event on a stream) instead of a connection the host cuts.
/// </summary>
internal sealed class GatewayLifecycle : IDisposable
{
    /// <summary>The most time kept back from the shutdown timeout to end in-flight requests with an error.</summary>
    public static readonly TimeSpan LongestCutoffMargin = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _cutoff = new();
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _cutoffDelay;
    private ITimer? _timer;
    private volatile bool _draining;

    public GatewayLifecycle(IHostApplicationLifetime lifetime, IOptions<HostOptions> hostOptions, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(hostOptions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _cutoffDelay = CutoffDelay(hostOptions.Value.ShutdownTimeout);
        lifetime.ApplicationStopping.Register(static state => ((GatewayLifecycle)state!).OnStopping(), this);
    }

    public bool IsDraining => _draining;

    /// <summary>Fires <see cref="CutoffDelay"/> after the host began to stop; in-flight requests then end with a shutdown error.</summary>
    public CancellationToken Cutoff => _cutoff.Token;

    /// <summary>
    /// How long after the stop signal in-flight requests may run: the shutdown timeout less a
    /// margin of a quarter of it, at most <see cref="LongestCutoffMargin"/>.
    /// </summary>
    public static TimeSpan CutoffDelay(TimeSpan shutdownTimeout)
    {
        if (shutdownTimeout == Timeout.InfiniteTimeSpan) return Timeout.InfiniteTimeSpan;
        var margin = TimeSpan.FromTicks(Math.Min(LongestCutoffMargin.Ticks, shutdownTimeout.Ticks / 4));
        return shutdownTimeout - margin;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _cutoff.Dispose();
    }

    private void OnStopping()
    {
        _draining = true;
        if (_cutoffDelay == Timeout.InfiniteTimeSpan) return;
        _timer = _timeProvider.CreateTimer(static state => ((GatewayLifecycle)state!).CancelInFlight(), this, _cutoffDelay, Timeout.InfiniteTimeSpan);
    }

    private void CancelInFlight()
    {
        try
        {
            _cutoff.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The host finished stopping first.
        }
    }
}
