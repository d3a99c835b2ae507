using System.ClientModel;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using OpenAI.Embeddings;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>The official OpenAI .NET SDK, pointed at the gateway by its base URL only.</summary>
public sealed class OpenAISdkTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task CompleteChat_VirtualModel_RoutedToTierModelWithDecisionHeaders()
    {
        var client = _harness.ChatClient("auto");

        var result = await client.CompleteChatAsync([new UserChatMessage("What is the capital of France?")]);

        Assert.Equal("[sim-mid] What is the capital of France?", result.Value.Content[0].Text);
        Assert.Equal("sim-mid", result.Value.Model);
        var headers = result.GetRawResponse().Headers;
        Assert.True(headers.TryGetValue("x-rightsize-route", out var route));
        Assert.Equal("auto", route);
        Assert.True(headers.TryGetValue("x-rightsize-tier", out var tier));
        Assert.Equal("mid", tier);
        Assert.True(headers.TryGetValue("x-rightsize-model", out var model));
        Assert.Equal("sim-mid", model);
        Assert.True(headers.TryGetValue("x-rightsize-reason", out var reason));
        Assert.Equal("default-tier", reason);
        Assert.True(headers.TryGetValue("x-rightsize-confidence", out _));

        var received = Assert.Single(_harness.Upstreams.Mid.Journal.Snapshot());
        Assert.Equal("sim-mid", received.Model);
        Assert.Equal(0, _harness.Upstreams.Small.Journal.TotalReceived + _harness.Upstreams.Frontier.Journal.TotalReceived);
    }

    [Fact]
    public async Task CompleteChatStreaming_EveryDeltaArrivesInOrderAndIntact()
    {
        var client = _harness.ChatClient("cheap");
        const string question = "Name three colours of the rainbow, please, in order.";
        var expected = (await client.CompleteChatAsync([new UserChatMessage(question)])).Value.Content[0].Text;

        var deltas = new List<string>();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(question)]))
        {
            foreach (var part in update.ContentUpdate) deltas.Add(part.Text);
        }

        Assert.True(deltas.Count >= 6, $"expected the simulator's 6 chunks, got {deltas.Count}");
        Assert.Equal(expected, string.Concat(deltas));
        Assert.StartsWith("[sim-small]", expected, StringComparison.Ordinal);
        var streamed = _harness.Upstreams.Small.Journal.Snapshot()[^1];
        Assert.True(streamed.Stream);
        Assert.Equal("sim-small", streamed.Model);
    }

    [Fact]
    public async Task CompleteChat_WithTools_GoesToAtLeastMidAndToolsReachUpstreamUnchanged()
    {
        var client = _harness.ChatClient("cheap");
        var tool = ChatTool.CreateFunctionTool(
            "get_weather",
            "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };

        var result = await client.CompleteChatAsync([new UserChatMessage("Weather in Oslo?")], options);

        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-rightsize-reason", out var reason));
        Assert.Equal("rule:tools", reason);
        var received = Assert.Single(_harness.Upstreams.Mid.Journal.Snapshot());
        using var body = JsonDocument.Parse(received.Body);
        var sentTool = body.RootElement.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("get_weather", sentTool.GetProperty("name").GetString());
        Assert.Equal("city", sentTool.GetProperty("parameters").GetProperty("required")[0].GetString());
        Assert.Equal(0, _harness.Upstreams.Small.Journal.TotalReceived);
    }

    [Fact]
    public async Task CompleteChat_ToolResultTurnWithoutTools_StaysOnTheToolsFloor()
    {
        // The second turn of an agent loop: the assistant's tool call and the tool's result, sent
        // without tools. It used to be classified like plain chat and could leave the loop's tier.
        var client = _harness.ChatClient("cheap");
        var call = ChatToolCall.CreateFunctionToolCall("call_1", "get_weather", BinaryData.FromString("""{"city":"Oslo"}"""));
        ChatMessage[] messages =
        [
            new UserChatMessage("Weather in Oslo?"),
            new AssistantChatMessage([call]),
            new ToolChatMessage("call_1", """{"temperature":3}"""),
        ];

        var result = await client.CompleteChatAsync(messages);

        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-rightsize-reason", out var reason));
        Assert.Equal("rule:tools", reason);
        Assert.Equal(0, _harness.Upstreams.Small.Journal.TotalReceived);
        using var body = JsonDocument.Parse(Assert.Single(_harness.Upstreams.Mid.Journal.Snapshot()).Body);
        Assert.Equal("tool", body.RootElement.GetProperty("messages")[2].GetProperty("role").GetString());
    }

    [Fact]
    public async Task CompleteChat_ResponseFormatJson_ReachesUpstreamUnchanged()
    {
        var client = _harness.ChatClient("cheap");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(), Temperature = 0.25f };

        await client.CompleteChatAsync([new UserChatMessage("Reply in JSON.")], options);

        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("json_object", body.RootElement.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal(0.25, body.RootElement.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal("sim-small", body.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task CompleteChat_ClientKey_NeverReachesUpstream()
    {
        await _harness.ChatClient("auto").CompleteChatAsync([new UserChatMessage("hello")]);

        var received = Assert.Single(_harness.Upstreams.Mid.Journal.Snapshot());
        var allHeaders = string.Join("\n", received.Headers.Select(h => h.Key + ": " + h.Value));
        Assert.DoesNotContain(GatewayHarness.ClientKey, allHeaders, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHarness.ClientKey, Encoding.UTF8.GetString(received.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_UnchangedAppOnRoutePrefix_ConcreteModelIsRightSized()
    {
        var client = _harness.ChatClient("gpt-4o", pathPrefix: "routes/cheap/");

        var result = await client.CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("sim-small", result.Value.Model);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-rightsize-route", out var route));
        Assert.Equal("cheap", route);
    }

    [Fact]
    public async Task CompleteChatStreaming_SdkAsksForUsage_UsageReachesTheSdk()
    {
        ChatTokenUsage? usage = null;
        await foreach (var update in _harness.ChatClient("cheap").CompleteChatStreamingAsync([new UserChatMessage("Count to three.")]))
        {
            usage ??= update.Usage;
        }

        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
        using var sent = JsonDocument.Parse(Assert.Single(_harness.Upstreams.Small.Journal.Snapshot()).Body);
        Assert.True(sent.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    public async Task GenerateEmbeddings_StringsAndTokenIds_SdkDecodesTheVectors(int? dimensions)
    {
        var client = _harness.OpenAIClient("routes/auto/").GetEmbeddingClient(TestUpstreams.FrontierModel);
        var options = new EmbeddingGenerationOptions { Dimensions = dimensions };

        var fromText = (await client.GenerateEmbeddingsAsync(["first", "second"], options)).Value;
        var fromTokens = (await client.GenerateEmbeddingsAsync([new ReadOnlyMemory<int>([1, 2, 3])], options)).Value;

        Assert.Equal(2, fromText.Count);
        Assert.Single(fromTokens);
        Assert.All(fromText.Concat(fromTokens), e => Assert.Equal(dimensions ?? 8, e.ToFloats().Length));
        var sent = _harness.Upstreams.Frontier.Journal.Snapshot();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, r => Assert.Contains("\"encoding_format\":\"base64\"", r.BodyText, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnservedApis_SdkReadsOpenAIShaped404()
    {
        var client = _harness.OpenAIClient();
        Func<Task>[] calls =
        [
#pragma warning disable OPENAI001 // the Responses client is marked experimental
            () => client.GetResponsesClient().CreateResponseAsync(TestUpstreams.MidModel, "hello"),
#pragma warning restore OPENAI001
            () => client.GetOpenAIFileClient().GetFilesAsync(),
            () => client.GetImageClient("dall-e-3").GenerateImageAsync("a cat"),
            () => client.GetAudioClient("tts-1").GenerateSpeechAsync("hello", global::OpenAI.Audio.GeneratedSpeechVoice.Alloy),
            () => client.GetModerationClient("omni-moderation-latest").ClassifyTextAsync("hello"),
        ];

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<ClientResultException>(call);
            Assert.Equal(404, error.Status);
            Assert.Contains("unknown_url", error.Message, StringComparison.Ordinal);
            Assert.Contains("RightSize serves POST /v1/chat/completions, /v1/completions and /v1/embeddings, and GET /v1/models and /v1/models/{model}.", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, _harness.Upstreams.TotalReceived);
    }
}
