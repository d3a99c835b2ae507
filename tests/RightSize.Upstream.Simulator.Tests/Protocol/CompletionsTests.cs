using System.Net;
using System.Text.Json;
using RightSize.Upstream.Simulator.Tests.TestSupport;

namespace RightSize.Upstream.Simulator.Tests.Protocol;

public class CompletionsTests
{
    [Fact]
    public async Task PostCompletion_NonStreaming_ReturnsTextCompletion()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("instruct"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("completions", """{"model":"instruct","prompt":"Once upon a time"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await Sim.JsonAsync(response);
        Assert.Equal("text_completion", json.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", json.GetProperty("id").GetString());
        var choice = json.GetProperty("choices")[0];
        Assert.Equal("[instruct] Once upon a time", choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(5, json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task PostCompletion_Streaming_TextPiecesConcatenateToAnswer()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("instruct"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);
        const string Body = """{"model":"instruct","prompt":["ignored","Once upon a time"],"stream":true,"stream_options":{"include_usage":true}}""";

        using var response = await Sim.SendAsync(client, Sim.Post("completions", Body), TestContext.Current.CancellationToken);
        var events = await Sim.ReadEventsAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(Sim.Parse).ToList();
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal("[instruct] Once upon a time", text);
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, chunks[^1].GetProperty("usage").ValueKind);
    }

    [Fact]
    public async Task PostCompletion_MissingPrompt_Returns400()
    {
        await using var simulator = await UpstreamSimulator.StartAsync(Sim.Options("instruct"), TestContext.Current.CancellationToken);
        using var client = Sim.Client(simulator);

        using var response = await Sim.SendAsync(client, Sim.Post("completions", """{"model":"instruct"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("prompt", (await Sim.JsonAsync(response)).GetProperty("error").GetProperty("param").GetString());
    }
}
