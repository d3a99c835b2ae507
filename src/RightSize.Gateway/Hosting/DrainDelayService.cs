namespace RightSize.Gateway.Hosting;

/// <summary>
/// Keeps serving for a while after ApplicationStopping, so a load balancer that polls
/// <c>/readyz</c> sees <c>draining</c> and stops sending before the listener closes. Runs in the
/// host's stopping phase, before Kestrel stops; the wait ends early when the shutdown timeout expires.
/// </summary>
internal sealed partial class DrainDelayService(TimeSpan delay, TimeProvider timeProvider, ILogger<DrainDelayService> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Log.Draining(logger, delay);
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
        [LoggerMessage(EventId = 140, EventName = "Draining", Level = LogLevel.Information, Message = "Shutting down: readiness is false; serving for {Delay} more before the listener closes")]
        public static partial void Draining(ILogger logger, TimeSpan delay);
    }
}
