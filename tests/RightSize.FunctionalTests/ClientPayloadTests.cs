using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// What real clients send reaches the upstream exactly as the client wrote it, but for the model:
/// each request is sent once straight to the small simulator and once through the gateway's
/// <c>cheap</c> route (which sends to the same simulator and model), and the two bodies the
/// simulator received must be the same bytes.
/// </summary>
public sealed class ClientPayloadTests : IAsyncLifetime
{
    private const string Route = "cheap";

    private GatewayHarness _harness = null!;

    // The tools and media rules are off so that tool and image requests stay on the small tier, beside the direct ones.
    public async ValueTask InitializeAsync() =>
        _harness = await GatewayHarness.StartAsync(settings =>
        {
            settings["RightSize:Routes:cheap:Rules:ToolsMinTier"] = "";
            settings["RightSize:Routes:cheap:Rules:MediaMinTier"] = "";
        });

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    public static TheoryData<string> SdkChatCases() => ["tool-conversation", "multimodal-developer", "json-schema-limits", "logprobs-parallel-tools"];

    [Theory]
    [MemberData(nameof(SdkChatCases))]
    public async Task SdkChat_ThroughGateway_UpstreamGetsTheDirectBody(string name)
    {
        var (messages, options) = SdkChat(name);

        await DirectChat().CompleteChatAsync(messages, options);
        var result = await _harness.ChatClient(Route).CompleteChatAsync(messages, options);

        Assert.Equal(TestUpstreams.SmallModel, result.Value.Model);
        AssertSameBodies();
    }

    [Fact]
    public async Task SdkChatStreaming_ThroughGateway_UpstreamGetsTheDirectBody()
    {
        var (messages, options) = SdkChat("tool-conversation");

        await foreach (var _ in DirectChat().CompleteChatStreamingAsync(messages, options))
        {
        }

        await foreach (var _ in _harness.ChatClient(Route).CompleteChatStreamingAsync(messages, options))
        {
        }

        AssertSameBodies();
    }

    [Fact]
    public async Task SdkEmbeddings_ConcreteModel_UpstreamGetsTheDirectBody()
    {
        var options = new EmbeddingGenerationOptions { Dimensions = 4, EndUserId = "user-7" };

        await EmbeddingClient(_harness.Upstreams.Small.ApiBase).GenerateEmbeddingsAsync(["first", "second"], options);
        var result = await EmbeddingClient(new Uri(_harness.BaseAddress, "v1")).GenerateEmbeddingsAsync(["first", "second"], options);

        Assert.Equal(2, result.Value.Count);
        AssertSameBodies();
    }

    public static TheoryData<string, string> RawCases() => new()
    {
        { "v1/chat/completions", """{"model":"@","messages":[{"role":"user","content":"hi"}],"n":2,"seed":42,"logit_bias":{"50256":-100},"functions":[{"name":"f","parameters":{"type":"object"}}],"function_call":{"name":"f"},"vendor_x":{"deep":[1,2.50,-0.0,1e3,"\u00e9\ud83d\ude00"]}}""" },
        { "v1/chat/completions", "{ \"messages\" : [ {\"content\":[{\"type\":\"text\",\"text\":\"look\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}], \"role\":\"user\"} ],\n\t\"model\" : \"@\" , \"max_completion_tokens\": 5 }" },
        { "v1/chat/completions", """{"model":"@","messages":[{"role":"assistant","content":null,"function_call":{"name":"f","arguments":"{}"}},{"role":"function","name":"f","content":"42"}],"stream":true,"stream_options":{"include_usage":true}}""" },
        { "v1/completions", """{"prompt":"Say this is a test","model":"@","max_tokens":7,"echo":false,"suffix":null,"best_of":1}""" },
        { "v1/completions", """{"model":"@","prompt":["one","two"],"logprobs":2}""" },
        { "v1/completions", """{"model":"@","prompt":[[1,2,3],[4]],"stream":true,"stream_options":{"include_usage":true}}""" },
        { "v1/embeddings", """{"model":"@","input":[[1,2,3],[4,5]],"encoding_format":"base64"}""" },
        { "v1/embeddings", """{"input":"text","model":"@","dimensions":8}""" },
    };

    [Theory]
    [MemberData(nameof(RawCases))]
    public async Task RawBody_ThroughGateway_UpstreamGetsTheDirectBody(string path, string template)
    {
        var model = path == "v1/embeddings" ? TestUpstreams.SmallModel : Route;
        using var direct = await Raw(new Uri(_harness.Upstreams.Small.ApiBase, path[3..]), template.Replace("@", TestUpstreams.SmallModel, StringComparison.Ordinal));
        using var routed = await Raw(new Uri(_harness.BaseAddress, path), template.Replace("@", model, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        AssertSameBodies();
    }

    [Theory]
    [InlineData("v1/chat/completions", """{"model":"@","messages":[{"role":"user","content":"hi"}]}""", 1)]
    [InlineData("v1/embeddings", """{"model":"@","input":"hi"}""", 1)]
    [InlineData("v1/chat/completions", """{"model":"@","messages":[{"role":"user","content":"hi"}]}""", 2)]
    public async Task BodyWithByteOrderMark_ConcreteModel_UpstreamGetsItWithoutTheMark(string path, string template, int marks)
    {
        // A concrete model passes through (chat) or goes to the embeddings upstream unchanged:
        // no rewrite happens, yet the mark, which JSON senders must not add, must not go on.
        var json = template.Replace("@", TestUpstreams.SmallModel, StringComparison.Ordinal);
        byte[] mark = [0xEF, 0xBB, 0xBF];
        using var content = new ByteArrayContent([.. Enumerable.Repeat(mark, marks).SelectMany(m => m), .. System.Text.Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new("application/json");

        using var response = await _harness.Http.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_harness.Upstreams.Small.Journal.Snapshot());
        Assert.Equal(json, received.BodyText);
    }

    private static (List<ChatMessage> Messages, ChatCompletionOptions Options) SdkChat(string name)
    {
        var weather = ChatTool.CreateFunctionTool(
            "get_weather",
            "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        return name switch
        {
            "tool-conversation" => (
                [
                    new SystemChatMessage("You are terse."),
                    new UserChatMessage("Weather in Oslo?"),
                    new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_1", "get_weather", BinaryData.FromString("""{"city":"Oslo"}"""))]),
                    new ToolChatMessage("call_1", """{"sky":"clear","celsius":-3}"""),
                ],
                new ChatCompletionOptions { Tools = { weather }, ToolChoice = ChatToolChoice.CreateAutoChoice() }),
            "multimodal-developer" => (
                [
#pragma warning disable OPENAI001 // DeveloperChatMessage is marked experimental in the SDK; the role is what clients send.
                    new DeveloperChatMessage("Describe images in one line."),
#pragma warning restore OPENAI001
                    new UserChatMessage(
                        ChatMessageContentPart.CreateTextPart("What is in this picture?"),
                        ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.png"), ChatImageDetailLevel.Low)),
                ],
                new ChatCompletionOptions()),
            "json-schema-limits" => (
                [new UserChatMessage("Give me a city as JSON.")],
                new ChatCompletionOptions
                {
                    ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                        "city",
                        BinaryData.FromString("""{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}"""),
                        jsonSchemaIsStrict: true),
                    MaxOutputTokenCount = 64,
                    Temperature = 0.5f,
                    StopSequences = { "END" },
                }),
            _ => (
                [new UserChatMessage("Pick a tool.")],
                new ChatCompletionOptions
                {
                    Tools = { weather },
                    AllowParallelToolCalls = false,
                    IncludeLogProbabilities = true,
                    TopLogProbabilityCount = 2,
                    EndUserId = "user-7",
                    Metadata = { ["tag"] = "payload-test" },
                    StoredOutputEnabled = false,
                }),
        };
    }

    // The last request the small simulator received straight from the client, then the one the gateway sent.
    private void AssertSameBodies()
    {
        var received = _harness.Upstreams.Small.Journal.Snapshot();
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].BodyText, received[1].BodyText);
        Assert.Equal(0, _harness.Upstreams.Mid.Journal.TotalReceived + _harness.Upstreams.Frontier.Journal.TotalReceived);
    }

    private ChatClient DirectChat() =>
        new(TestUpstreams.SmallModel, new ApiKeyCredential("sk-direct"), new OpenAIClientOptions { Endpoint = _harness.Upstreams.Small.ApiBase, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });

    private static EmbeddingClient EmbeddingClient(Uri endpoint) =>
        new(TestUpstreams.SmallModel, new ApiKeyCredential("sk-client"), new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });

    private async Task<HttpResponseMessage> Raw(Uri uri, string body)
    {
        var response = await _harness.Http.PostAsync(uri, Json.Body(body));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
