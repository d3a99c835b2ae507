using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RightSize.Server.Configuration;
using RightSize.Server.Tests.TestSupport;

namespace RightSize.Server.Tests.Configuration;

public sealed class ConfigurationNotesTests
{
    [Fact]
    public void Of_DefaultTimeouts_NoNote()
    {
        Assert.Empty(ConfigurationNotes.Of(SampleConfiguration.Snapshot(SampleConfiguration.With())));
    }

    [Fact]
    public void Of_DeadlineNotLongerThanACheaperTiersHeadersTimeout_NamesTheRouteTheTierAndTheSetting()
    {
        // auto: small on 'local', mid and frontier on 'openai'; the default HeadersTimeout is 5 minutes.
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:auto:Deadline", "00:01:00")));

        var notes = ConfigurationNotes.Of(snapshot);

        Assert.Equal(2, notes.Count); // small and mid can move a request up; the frontier cannot
        Assert.StartsWith("RightSize:Routes:auto:Deadline (00:01:00) is not longer than the wait for headers of its small tier (00:05:00, upstream 'local')", notes[0], StringComparison.Ordinal);
        Assert.Contains("RightSize:Upstreams:local:HeadersTimeout", notes[0], StringComparison.Ordinal);
        Assert.Contains("its mid tier (00:05:00, upstream 'openai')", notes[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Of_HeadersTimeoutShorterThanTheDeadline_NoNote()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:auto:Deadline", "00:01:00"),
            ("RightSize:Upstreams:local:HeadersTimeout", "00:00:20"),
            ("RightSize:Upstreams:openai:HeadersTimeout", "00:00:20")));

        Assert.Empty(ConfigurationNotes.Of(snapshot));
    }

    [Fact]
    public void Of_TheRoutesHighestTierOnly_NoNoteForIt()
    {
        // support stops at mid (MaxTier), so a hung mid has nowhere to go: the deadline is the only end.
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:support:Deadline", "00:01:00"),
            ("RightSize:Upstreams:local:HeadersTimeout", "00:00:20")));

        Assert.Empty(ConfigurationNotes.Of(snapshot));
    }

    [Fact]
    public void Of_ActivityTimeoutShorterThanHeadersTimeout_TheShorterWaitCounts()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:auto:Deadline", "00:01:00"),
            ("RightSize:Gateway:UpstreamActivityTimeout", "00:00:30")));

        Assert.Empty(ConfigurationNotes.Of(snapshot));
    }

    [Fact]
    public async Task Logger_AtStartAndOnEachReloadInForce_LogsEvent109PerNote()
    {
        var configuration = SampleConfiguration.Configuration(SampleConfiguration.With(
            ("RightSize:Routes:auto:Deadline", "00:01:00"),
            ("RightSize:Upstreams:openai:HeadersTimeout", "00:00:10")));
        using var store = SampleConfiguration.Store(configuration);
        var logger = new FakeLogger<ConfigurationNotesLogger>();
        var notesLogger = new ConfigurationNotesLogger(store, logger);

        await notesLogger.StartAsync(TestContext.Current.CancellationToken);
        var atStart = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal((LogLevel.Warning, 109), (atStart.Level, atStart.Id.Id));
        Assert.Contains("its small tier (00:05:00, upstream 'local')", atStart.Message, StringComparison.Ordinal);

        configuration["RightSize:Routes:auto:Threshold"] = "0.8";
        configuration.Reload();
        Assert.Single(logger.Collector.GetSnapshot()); // the same note: not logged again

        configuration["RightSize:Upstreams:local:HeadersTimeout"] = "00:00:20";
        configuration.Reload();
        Assert.Single(logger.Collector.GetSnapshot()); // mended: nothing new

        configuration["RightSize:Routes:auto:Deadline"] = "00:00:15";
        configuration.Reload();
        Assert.Equal(2, logger.Collector.GetSnapshot().Count);

        await notesLogger.StopAsync(TestContext.Current.CancellationToken);
        configuration["RightSize:Routes:auto:Deadline"] = "00:00:14";
        configuration.Reload();
        Assert.Equal(2, logger.Collector.GetSnapshot().Count);
    }
}
