using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RightSize.Server.Configuration;

/// <summary>
/// Polls the upstream key files (<c>ApiKeyFile</c>) every second, so a rotated Kubernetes Secret
/// takes effect without a restart or a configuration change. Polling, as for the configuration
/// file: a Secret update is an atomic swap of its <c>..data</c> symlink, which a watch on the file
/// does not report. Idle when no upstream reads its key from a file.
/// </summary>
internal sealed partial class KeyFileWatcher(GatewaySnapshotStore store, TimeProvider timeProvider, ILogger<KeyFileWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    store.ReloadIfKeyFilesChanged();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A listener of the new snapshot that throws must not end the polling, nor the process.
                    Log.CheckFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Checking the upstream key files failed; polling goes on")]
        public static partial void CheckFailed(ILogger logger, Exception exception);
    }
}
