using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RightSize.Server.Model;

namespace RightSize.Server.Configuration;

/// <summary>
/// Logs the <see cref="ConfigurationNotes"/> of the configuration in force (event 109) when the
/// host starts, and again when a reload puts in force a configuration whose notes differ (not on
/// every reload: a rotated key or a log level changes none). <c>--check-config</c> starts no host
/// and prints them itself, so its output stays free of log lines.
/// </summary>
internal sealed partial class ConfigurationNotesLogger(GatewaySnapshotStore store, ILogger<ConfigurationNotesLogger> logger) : IHostedService
{
    private List<string> _logged = [];

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
        var notes = ConfigurationNotes.Of(snapshot);
        if (notes.SequenceEqual(_logged, StringComparer.Ordinal)) return;
        _logged = notes;
        foreach (var note in notes) Log.ConfigurationNote(logger, snapshot.Generation, note);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Configuration generation {Generation} is valid, but: {Note}")]
        public static partial void ConfigurationNote(ILogger logger, int generation, string note);
    }
}
