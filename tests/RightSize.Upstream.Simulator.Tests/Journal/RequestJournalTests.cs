using System.Text;
using RightSize.Upstream.Simulator.Journal;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Journal;

public class RequestJournalTests
{
    [Fact]
    public async Task Record_PostedBody_KeepsBytesHeadersAndParsedFields()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        var body = Encoding.UTF8.GetBytes("{ \"model\" : \"small\",\n  \"stream\":true, \"vendor_x\":{\"k\":[1,2.50]},\n \"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9llo \\u00e9 \ud83d\ude00\"}] }");
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions?trace=1") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("x-custom", "abc");

        using var response = await Sim.SendAsync(client, request, TestContext.Current.CancellationToken);
        await Sim.ReadEventsAsync(response);

        var entry = await simulator.Journal.WaitForEndAsync("small", Sim.WaitTimeout, TestContext.Current.CancellationToken);
        Assert.Equal(body, entry.Body.ToArray());
        Assert.Equal("POST", entry.Method);
        Assert.Equal("/v1/chat/completions", entry.Path);
        Assert.Equal("?trace=1", entry.QueryString);
        Assert.Equal("abc", entry.Headers["X-Custom"]);
        Assert.Equal("small", entry.Model);
        Assert.True(entry.Stream);
        Assert.Equal(RequestOutcome.Completed, entry.Outcome);
        Assert.Equal(200, entry.StatusCode);
        Assert.Equal(1, entry.Sequence);
    }

    [Fact]
    public async Task Record_RejectedRequests_AreRecordedToo()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var bad = await Sim.SendAsync(client, Sim.Post("chat/completions", "not json"), TestContext.Current.CancellationToken);
        using var unknown = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("other", "hi")), TestContext.Current.CancellationToken);

        var entries = simulator.Journal.Snapshot();
        Assert.Equal(2, entries.Count);
        Assert.Equal("not json", entries[0].BodyText);
        Assert.Null(entries[0].Model);
        Assert.Equal(400, entries[0].StatusCode);
        Assert.Equal("other", entries[1].Model);
        Assert.Equal(404, entries[1].StatusCode);
    }

    [Fact]
    public async Task WaitForClientAbort_ClientCancelsMidStream_CompletesWithAbortedEntry()
    {
        var options = Sim.Options("small");
        options.ChunkDelay = TimeSpan.FromSeconds(2); // no chunk arrives between the check below and the cancel
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        using var cts = new CancellationTokenSource();
        var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi", stream: true)), cts.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var buffer = new byte[64 * 1024];
        Assert.True(await stream.ReadAsync(buffer, cts.Token) > 0);
        var pending = stream.ReadAsync(buffer, cts.Token).AsTask();
        while (pending.IsCompleted)
        {
            Assert.True(await pending > 0);
            pending = stream.ReadAsync(buffer, cts.Token).AsTask();
        }

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        response.Dispose();
        var entry = await simulator.Journal.WaitForClientAbortAsync("small", Sim.WaitTimeout, TestContext.Current.CancellationToken);

        Assert.True(entry.ClientAborted);
        Assert.Equal(RequestOutcome.ClientAborted, entry.Outcome);
    }

    [Fact]
    public async Task WaitForRequest_RequestArrivesLater_CompletesWithoutPolling()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small", "mid"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        var waiting = simulator.Journal.WaitForRequestAsync("mid", Sim.WaitTimeout, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);

        using var other = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi")), TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        using var wanted = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("mid", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal("mid", (await waiting).Model);
    }

    [Fact]
    public async Task WaitForRequest_NothingArrives_ThrowsTimeoutException()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<TimeoutException>(() => simulator.Journal.WaitForRequestAsync("small", TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Record_ConcurrentArrivals_KeepsTheNewestInSequenceOrder()
    {
        const int Writers = 4;
        const int PerWriter = 2_000;
        const int Capacity = 500;
        var journal = new RequestJournal(Capacity);
        var headers = new Dictionary<string, string>();
        using var start = new Barrier(Writers);

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Factory.StartNew(
            () =>
            {
                var random = new Random(writer);
                start.SignalAndWait(TestContext.Current.CancellationToken);
                for (var i = 0; i < PerWriter; i++)
                {
                    journal.Record(sequence =>
                    {
                        // Building an entry takes a varying time; a journal that numbers an entry before
                        // it takes its lock lets a writer with a later number queue first.
                        Thread.SpinWait(random.Next(1, 200));
                        return new RecordedRequest(sequence, "POST", "/v1/chat/completions", string.Empty, headers, default, "small", false, default);
                    });
                }
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default));
        await Task.WhenAll(writers);

        const long Total = Writers * PerWriter;
        Assert.Equal(Total, journal.TotalReceived);
        Assert.Equal(
            Enumerable.Range(0, Capacity).Select(i => Total - Capacity + 1 + i),
            journal.Snapshot().Select(r => r.Sequence));
    }

    [Fact]
    public async Task Record_MoreThanMaxRecorded_KeepsNewestAndCountsAll()
    {
        var options = Sim.Options("small");
        options.MaxRecordedRequests = 2;
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        foreach (var text in new[] { "one", "two", "three" })
        {
            using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", text)), TestContext.Current.CancellationToken);
        }

        Assert.Equal(2, simulator.Journal.Count);
        Assert.Equal(3, simulator.Journal.TotalReceived);
        Assert.Equal([2L, 3L], simulator.Journal.Snapshot().Select(r => r.Sequence));
        simulator.Journal.Clear();
        Assert.Equal(0, simulator.Journal.Count);
    }
}
