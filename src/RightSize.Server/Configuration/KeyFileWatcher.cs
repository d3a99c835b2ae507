using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RightSize.Server.Configuration;

/// <summary>
/// Polls the upstream key files (<c>ApiKeyFile</c>) every second, so a rotated Kubernetes Secret
/// takes effect without a restart or a configuration change. Polling, as for the configuration
/// file: a Secret update is an atomic swap of its <c>..data</c> symlink, which a watch on the file
/// does not report. Idle when no upstream reads its key from a file. A key file in force that
/// disappears (a Secret whose <c>..data</c> now points at a directory without it) leaves its key in
/// force, and is logged once each time it goes (event 107): until it is back, a restart fails.
/// </summary>
internal sealed partial class KeyFileWatcher(GatewaySnapshotStore store, TimeProvider timeProvider, ILogger<KeyFileWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly HashSet<string> _missing = new(StringComparer.Ordinal); // key files in force found gone and already logged

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
                    WarnOfMissingKeyFiles(store.Current.KeyFileFingerprints);
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

    /// <summary>Logs each key file of the snapshot in force that is no longer there, once until it is back.</summary>
    private void WarnOfMissingKeyFiles(IReadOnlyDictionary<string, string> inForce)
    {
        _missing.RemoveWhere(path => !inForce.ContainsKey(path) || RightSizeOptionsValidator.KeyFileExists(path));
        foreach (var path in inForce.Keys)
        {
            if (!RightSizeOptionsValidator.KeyFileExists(path) && _missing.Add(path)) Log.KeyFileMissing(logger, path);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Checking the upstream key files failed; polling goes on")]
        public static partial void CheckFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Upstream key file {Path} disappeared; the key read from it stays in force until the file is back. Until then a restart fails, and a configuration that names the file is rejected")]
        public static partial void KeyFileMissing(ILogger logger, string path);
    }
}
