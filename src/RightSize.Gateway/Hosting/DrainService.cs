namespace RightSize.Gateway.Hosting;

/// <summary>
/// The start of a shutdown, in the host's stopping phase, before Kestrel stops: logs event 140
/// (readiness is already <c>draining</c>) and, for a positive <c>DrainDelay</c>, keeps serving
/// that long, so a load balancer that polls <c>/readyz</c> stops sending before the listener
/// closes. The wait ends early when the shutdown timeout expires. Registered whatever the delay,
/// so a shutdown always leaves a line of its own in the log.
/// </summary>
internal sealed partial class DrainService(TimeSpan delay, TimeSpan shutdownTimeout, TimeProvider timeProvider, ILogger<DrainService> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Log.Draining(logger, delay, shutdownTimeout);
        if (delay <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 140, EventName = "Draining", Level = LogLevel.Information,
            Message = "Shutting down: readiness is false; the listener closes in {DrainDelay}, and requests in flight have until {ShutdownTimeout} after the signal")]
        public static partial void Draining(ILogger logger, TimeSpan drainDelay, TimeSpan shutdownTimeout);
    }
}
