using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Protocol;

public class ChatCompletionsTests
{
    [Fact]
    public async Task PostChat_NonStreaming_ReturnsOpenAIShapeWithEchoAndUsage()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        var body = Sim.ChatBody("small", "  What is   the capital\nof France?  ");

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await Sim.JsonAsync(response);
        Assert.StartsWith("chatcmpl-", json.GetProperty("id").GetString());
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Equal("small", json.GetProperty("model").GetString());
        Assert.True(json.GetProperty("created").GetInt64() > 0);
        var choice = Assert.Single(json.GetProperty("choices").EnumerateArray().ToList());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("[small] What is the capital of France?", choice.GetProperty("message").GetProperty("content").GetString());
        var usage = json.GetProperty("usage");
        Assert.Equal((System.Text.Encoding.UTF8.GetByteCount(body) + 3) / 4, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 7, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task PostChat_SameRequestTwice_ReturnsSameContentAndUsage()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        var body = Sim.ChatBody("small", "Summarise the plot of Hamlet in one sentence, please, with every single detail kept.");

        using var first = await Sim.SendAsync(client, Sim.Post("chat/completions", body), TestContext.Current.CancellationToken);
        using var second = await Sim.SendAsync(client, Sim.Post("chat/completions", body), TestContext.Current.CancellationToken);

        var a = await Sim.JsonAsync(first);
        var b = await Sim.JsonAsync(second);
        var content = a.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.Equal(content, b.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(a.GetProperty("usage").GetRawText(), b.GetProperty("usage").GetRawText());
        Assert.Equal("[small] Summarise the plot of Hamlet in one sentence, please, with every", content);
        Assert.NotEqual(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
    }

    [Fact]
    public async Task PostChat_ContentParts_EchoesLastUserMessageText()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        const string Body = """
            {"model":"small","messages":[
              {"role":"user","content":"first question"},
              {"role":"assistant","content":"first answer"},
              {"role":"user","content":[{"type":"text","text":"second"},{"type":"text","text":"question"}]}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}
            """;

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Body), TestContext.Current.CancellationToken);

        var json = await Sim.JsonAsync(response);
        Assert.Equal("[small] second question", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task PostChat_Streaming_SendsConfiguredChunksInOrderThenDone()
    {
        var options = Sim.Options("small");
        options.StreamChunks = 5;
        await using var simulator = await UpstreamSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        const string Prompt = "Explain streaming in a few words";

        using var whole = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", Prompt)), TestContext.Current.CancellationToken);
        var expected = (await Sim.JsonAsync(whole)).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", Prompt, stream: true)), TestContext.Current.CancellationToken);
        var events = await Sim.ReadEventsAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(Sim.Parse).ToList();
        Assert.Equal(6, chunks.Count);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.All(chunks, c => Assert.Equal("small", c.GetProperty("model").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        var deltas = chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta")).ToList();
        Assert.Equal("assistant", deltas[0].GetProperty("role").GetString());
        var pieces = deltas.Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()).ToList();
        Assert.Equal(5, pieces.Count);
        Assert.Equal(expected, string.Concat(pieces));
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task PostChat_StreamingWithIncludeUsage_SendsUsageChunkLastBeforeDone()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        var body = Sim.ChatBody("small", "count my tokens please", stream: true, includeUsage: true);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", body), TestContext.Current.CancellationToken);
        var events = await Sim.ReadEventsAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(Sim.Parse).ToList();
        Assert.Equal(SimulatorConstants.DefaultStreamChunks + 2, chunks.Count);
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        var last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        var usage = last.GetProperty("usage");
        Assert.Equal((System.Text.Encoding.UTF8.GetByteCount(body) + 3) / 4, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 5, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task PostChat_StreamingWithoutIncludeUsage_SendsNoUsageChunk()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hello", stream: true)), TestContext.Current.CancellationToken);
        var events = await Sim.ReadEventsAsync(response);

        var chunks = events[..^1].Select(Sim.Parse).ToList();
        Assert.Equal(SimulatorConstants.DefaultStreamChunks + 1, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(1, c.GetProperty("choices").GetArrayLength()));
    }

    [Fact]
    public async Task PostChat_FakeTimeProvider_CreatedComesFromInjectedClock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("small"), clock, cancellationToken: TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi")), TestContext.Current.CancellationToken);

        var json = await Sim.JsonAsync(response);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), json.GetProperty("created").GetInt64());
        Assert.Equal(clock.GetUtcNow(), Assert.Single(simulator.Journal.Snapshot()).ArrivedAt);
    }

    [Fact]
    public async Task PostChat_ChunkDelayWithFakeClock_StreamAdvancesOnlyWithClock()
    {
        var clock = new FakeTimeProvider();
        var options = Sim.Options("small");
        options.StreamChunks = 2;
        options.ChunkDelay = TimeSpan.FromSeconds(30);
        await using var simulator = await UpstreamSimulator.StartAsync(options, clock, cancellationToken: TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("chat/completions", Sim.ChatBody("small", "hi", stream: true)), TestContext.Current.CancellationToken);
        var events = new List<string>();
        var reading = Sim.ReadEventsAsync(response, events, TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(reading.IsCompleted);
        // An advance made before the simulator has set its next timer moves nothing, so advance
        // until the stream ends, for as long as the other waits here allow.
        var giveUp = DateTime.UtcNow + Sim.WaitTimeout;
        while (!reading.IsCompleted && DateTime.UtcNow < giveUp)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(reading, Task.Delay(100, TestContext.Current.CancellationToken));
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal("[DONE]", events[^1]);
    }
}
