using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RightSize.Server.Model;

namespace RightSize.Server.Configuration;

/// <summary>
/// Logs the <see cref="ConfigurationNotes"/> of the configuration in force (event 109) when the
/// host starts and each time a reload puts another in force. <c>--check-config</c> starts no host
/// and prints them itself, so its output stays free of log lines.
/// </summary>
internal sealed partial class ConfigurationNotesLogger(GatewaySnapshotStore store, ILogger<ConfigurationNotesLogger> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Changed += LogNotes;
        LogNotes(store.Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.Changed -= LogNotes;
        return Task.CompletedTask;
    }

    private void LogNotes(GatewaySnapshot snapshot)
    {
        foreach (var note in ConfigurationNotes.Of(snapshot)) Log.ConfigurationNote(logger, snapshot.Generation, note);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Configuration generation {Generation} is valid, but: {Note}")]
        public static partial void ConfigurationNote(ILogger logger, int generation, string note);
    }
}
