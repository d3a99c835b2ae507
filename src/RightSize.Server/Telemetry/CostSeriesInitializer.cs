using Microsoft.Extensions.Hosting;
using RightSize.Server.Configuration;

namespace RightSize.Server.Telemetry;

/// <summary>
/// Once the host has started (the metric exporters listen by then), and after every reload, has
/// <see cref="GatewayMetrics"/> create the cost series of each route and tier at zero. A counter
/// series that first appears with its first request's amount is invisible to <c>increase()</c>,
/// so the dashboard's spend panels would miss the first request of every route, tier and pod; the
/// Prometheus instrumentation guide advises exporting zero for every series known in advance.
/// </summary>
internal sealed class CostSeriesInitializer(GatewayMetrics metrics, GatewaySnapshotStore store, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _started;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = lifetime.ApplicationStarted.Register(() =>
        {
            store.Changed += metrics.InitialiseCostSeries;
            metrics.InitialiseCostSeries(store.Current);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _started.Dispose();
        store.Changed -= metrics.InitialiseCostSeries;
        return Task.CompletedTask;
    }
}
