using Microsoft.Extensions.Configuration;
using RightSize.Server.Configuration;

namespace RightSize.Gateway.Hosting;

/// <summary>
/// Polls the mounted configuration file every second. Polling, not a file-system watcher: a
/// Kubernetes ConfigMap update is an atomic swap of the <c>..data</c> symlink, which an inotify
/// watch on <c>appsettings.json</c> does not report. A rejected file is logged and reported to the
/// snapshot store (<c>rightsize_config_rejected</c>); the configuration in force does not change.
/// </summary>
internal sealed partial class ConfigDirectoryWatcher(IConfiguration configuration, GatewaySnapshotStore store, TimeProvider timeProvider, ILogger<ConfigDirectoryWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var providers = (configuration as IConfigurationRoot)?.Providers.OfType<ConfigDirectoryProvider>().ToArray() ?? [];
        if (providers.Length == 0) return;
        foreach (var provider in providers) Log.Watching(logger, provider.FilePath);

        using var timer = new PeriodicTimer(HostingDefaults.ConfigPollInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var provider in providers) CheckOne(provider);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void CheckOne(ConfigDirectoryProvider provider)
    {
        try
        {
            // Event 121 is logged before the reload it raises, so the snapshot store's verdict (event 100 or 101) follows it.
            switch (provider.Check(() => Log.Applied(logger, provider.FilePath)))
            {
                case ConfigFileCheck.Rejected:
                    var error = provider.LastError ?? "unknown error";
                    Log.Rejected(logger, provider.FilePath, error);
                    store.ReportRefusedFile(error);
                    break;
                case ConfigFileCheck.Missing:
                    Log.Missing(logger, provider.FilePath);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A reload listener that throws must not end the polling, nor the process.
            Log.CheckFailed(logger, provider.FilePath, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Watching configuration file {Path} for changes")]
        public static partial void Watching(ILogger logger, string path);

        [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Configuration file {Path} changed; its new contents are read, and the configuration built from them is put in force (event 100) or rejected (event 101)")]
        public static partial void Applied(ILogger logger, string path);

        [LoggerMessage(EventId = 122, Level = LogLevel.Error, Message = "Configuration file {Path} rejected; the previous contents stay in force. Error: {Error}")]
        public static partial void Rejected(ILogger logger, string path, string error);

        [LoggerMessage(EventId = 123, Level = LogLevel.Warning, Message = "Configuration file {Path} disappeared; the previous contents stay in force")]
        public static partial void Missing(ILogger logger, string path);

        [LoggerMessage(EventId = 124, Level = LogLevel.Error, Message = "Checking configuration file {Path} failed; polling goes on")]
        public static partial void CheckFailed(ILogger logger, string path, Exception exception);
    }
}
