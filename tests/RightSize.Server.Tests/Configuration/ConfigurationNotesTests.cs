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
    public void Of_ATierWithoutPrices_SaysItsRequestsReadAsFree()
    {
        var values = SampleConfiguration.With();
        values.Remove("RightSize:Tiers:small:InputPerMTok");
        values.Remove("RightSize:Tiers:small:OutputPerMTok");

        var note = Assert.Single(ConfigurationNotes.Of(SampleConfiguration.Snapshot(values)));

        Assert.StartsWith("RightSize:Tiers:small gives no InputPerMTok and OutputPerMTok, so its requests are priced at 0 for them", note, StringComparison.Ordinal);
        Assert.Contains("(0 for a free model)", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_ATierWithoutAnOutputPrice_NamesThatPriceAlone()
    {
        var values = SampleConfiguration.With();
        values.Remove("RightSize:Tiers:frontier:OutputPerMTok");

        var note = Assert.Single(ConfigurationNotes.Of(SampleConfiguration.Snapshot(values)));

        Assert.StartsWith("RightSize:Tiers:frontier gives no OutputPerMTok, so its requests are priced at 0 for it", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_ExplicitZeroPrices_NoNote()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Tiers:small:InputPerMTok", "0"),
            ("RightSize:Tiers:small:OutputPerMTok", "0")));

        Assert.Empty(ConfigurationNotes.Of(snapshot));
    }

    [Fact]
    public void Of_ARouteTierOfItsOwnModelWithoutPrices_SaysWhichPricesItGets()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Routes:auto:Tiers:mid:Model", "gpt-4o-mini")));

        var note = Assert.Single(ConfigurationNotes.Of(snapshot));

        Assert.Equal("RightSize:Routes:auto:Tiers:mid names the model 'gpt-4o-mini' but no InputPerMTok and OutputPerMTok, so its requests are priced for them as RightSize:Tiers:mid ('gpt-4.1-mini'). Give RightSize:Routes:auto:Tiers:mid:InputPerMTok and :OutputPerMTok.", note);
    }

    [Fact]
    public void Of_ARouteTierOfItsOwnModelWithOnePrice_NamesTheOther()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:auto:Tiers:mid:Model", "gpt-4o-mini"),
            ("RightSize:Routes:auto:Tiers:mid:OutputPerMTok", "0.60")));

        var note = Assert.Single(ConfigurationNotes.Of(snapshot));

        Assert.Equal("RightSize:Routes:auto:Tiers:mid names the model 'gpt-4o-mini' but no InputPerMTok, so its requests are priced for it as RightSize:Tiers:mid ('gpt-4.1-mini'). Give RightSize:Routes:auto:Tiers:mid:InputPerMTok.", note);
    }

    [Fact]
    public void Of_ARouteTierOfItsOwnModelWithItsPrices_NoNote()
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(
            ("RightSize:Routes:auto:Tiers:mid:Model", "gpt-4o-mini"),
            ("RightSize:Routes:auto:Tiers:mid:InputPerMTok", "0.15"),
            ("RightSize:Routes:auto:Tiers:mid:OutputPerMTok", "0.60")));

        Assert.Empty(ConfigurationNotes.Of(snapshot));
    }

    [Fact]
    public void Of_ARouteOnlyTierWithoutPrices_SaysItsRequestsReadAsFree()
    {
        var values = SampleConfiguration.With(
            ("RightSize:Routes:support:Tiers:small:Upstream", "local"),
            ("RightSize:Routes:support:Tiers:small:Model", "qwen-local"));
        values.Remove("RightSize:Tiers:small:Upstream");
        values.Remove("RightSize:Tiers:small:Model");
        values.Remove("RightSize:Tiers:small:InputPerMTok");
        values.Remove("RightSize:Tiers:small:OutputPerMTok");

        var note = Assert.Single(ConfigurationNotes.Of(SampleConfiguration.Snapshot(values)));

        Assert.StartsWith("RightSize:Routes:support:Tiers:small gives no InputPerMTok and OutputPerMTok", note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.openai.com/v1", true)]
    [InlineData("http://10.1.2.3:8000/v1", true)]
    [InlineData("https://api.openai.com/v1", false)]
    [InlineData("http://127.0.0.1:8000/v1", false)]
    [InlineData("http://localhost:8000/v1", false)]
    [InlineData("http://vllm:8000/v1", false)]
    [InlineData("http://vllm.models.svc:8000/v1", false)]
    [InlineData("http://vllm.models.svc.cluster.local:8000/v1", false)]
    [InlineData("http://vllm.models.svc.cluster.local.:8000/v1", false)]
    [InlineData("http://vllm.llm:8000/v1", true)] // a Service's name.namespace, or a public name: cannot be told apart
    [InlineData("http://llm.example.com/v1", true)]
    public void Of_AKeySentOverPlainHttpOutsideTheCluster_SaysUseHttps(string baseUrl, bool noted)
    {
        var snapshot = SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Upstreams:openai:BaseUrl", baseUrl)));

        var notes = ConfigurationNotes.Of(snapshot);

        if (noted)
        {
            Assert.StartsWith("RightSize:Upstreams:openai:BaseUrl is plain http to a host that may be outside the cluster, and the upstream has a key", Assert.Single(notes), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(notes);
        }
    }

    [Fact]
    public void Of_PlainHttpWithoutAKey_NoNote()
    {
        // 'local' has no key in the sample configuration.
        Assert.Empty(ConfigurationNotes.Of(SampleConfiguration.Snapshot(SampleConfiguration.With(("RightSize:Upstreams:local:BaseUrl", "http://llm.example.com/v1")))));
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
