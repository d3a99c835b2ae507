using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// Answers the simulator never gives (tool calls, two choices, log probabilities, a refusal, output
/// audio), written byte for byte by a scripted upstream behind every tier, reach the official
/// OpenAI SDK unchanged, and the SDK's follow-up turn (assistant tool calls, then the tool's
/// result) reaches the upstream unchanged.
/// </summary>
public sealed class SdkRoundTripTests : IAsyncLifetime
{
    private const string ToolCallAnswer = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"sim-mid","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},"logprobs":{"content":[{"token":"a","logprob":-0.25,"bytes":[97],"top_logprobs":[]}],"refusal":null},"finish_reason":"tool_calls"},{"index":1,"message":{"role":"assistant","content":null,"refusal":"I cannot help with that.","audio":{"id":"audio_1","data":"UklGRg==","expires_at":1,"transcript":"no"}},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8},"system_fingerprint":"fp_1"}""";
    private const string ChunkStart = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"sim-mid","choices":[""";

    private readonly List<string> _received = [];
    private ScriptedUpstream _upstream = null!;
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await ScriptedUpstream.StartAsync(AnswerAsync);
        _harness = await GatewayHarness.StartAsync(settings =>
        {
            foreach (var tier in new[] { "small", "mid", "frontier" }) settings[$"RightSize:Upstreams:up-{tier}:BaseUrl"] = _upstream.BaseUrl;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task CompleteChat_ToolCallAnswer_ReachesSdkUnchangedAndItsFollowUpReachesUpstream()
    {
        var client = _harness.ChatClient("cheap");
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}""")) },
            IncludeLogProbabilities = true,
            TopLogProbabilityCount = 2,
            StopSequences = { "END" },
            MaxOutputTokenCount = 50,
        };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Oslo?")];

        var first = await client.CompleteChatAsync(messages, options);

        Assert.Equal(ToolCallAnswer, first.GetRawResponse().Content.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, first.Value.FinishReason);
        var call = Assert.Single(first.Value.ToolCalls);
        Assert.Equal(("call_1", "get_weather", """{"city":"Oslo"}"""), (call.Id, call.FunctionName, call.FunctionArguments.ToString()));
        Assert.Equal(-0.25f, Assert.Single(first.Value.ContentTokenLogProbabilities).LogProbability);
        Assert.True(first.GetRawResponse().Headers.TryGetValue("x-rightsize-reason", out var reason));
        Assert.Equal("rule:tools", reason);
        using (var sent = JsonDocument.Parse(_received[^1]))
        {
            Assert.Equal(2, sent.RootElement.GetProperty("top_logprobs").GetInt32());
            Assert.Equal("END", sent.RootElement.GetProperty("stop")[0].GetString());
            Assert.Equal(50, sent.RootElement.GetProperty("max_completion_tokens").GetInt32());
        }

        messages.Add(new AssistantChatMessage(first.Value));
        messages.Add(new ToolChatMessage(call.Id, """{"celsius":3}"""));
        await client.CompleteChatAsync(messages, options);

        using var followUp = JsonDocument.Parse(_received[^1]);
        var sentMessages = followUp.RootElement.GetProperty("messages");
        Assert.Equal(3, sentMessages.GetArrayLength());
        var sentCall = sentMessages[1].GetProperty("tool_calls")[0];
        Assert.Equal(("call_1", """{"city":"Oslo"}"""), (sentCall.GetProperty("id").GetString(), sentCall.GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal(("tool", "call_1", """{"celsius":3}"""), (sentMessages[2].GetProperty("role").GetString(), sentMessages[2].GetProperty("tool_call_id").GetString(), sentMessages[2].GetProperty("content").GetString()));
    }

    [Fact]
    public async Task CompleteChatStreaming_ToolCallDeltas_SdkAssemblesTheCallAndGetsUsage()
    {
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather") } };
        var arguments = new StringBuilder();
        string? name = null;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in _harness.ChatClient("cheap").CompleteChatStreamingAsync([new UserChatMessage("Weather in Oslo?")], options))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal("""{"city":"Oslo"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(8, usage?.TotalTokenCount);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        lock (_received) _received.Add(body);
        using var request = JsonDocument.Parse(body);
        if (!request.RootElement.TryGetProperty("stream", out var stream) || !stream.GetBoolean())
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(ToolCallAnswer);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync(ChunkStart + """{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}],"usage":null}""" + "\n\n");
        await context.Response.WriteAsync(ChunkStart + """{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}],"usage":null}""" + "\n\n");
        await context.Response.WriteAsync(ChunkStart + """{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]},"finish_reason":null}],"usage":null}""" + "\n\n");
        await context.Response.WriteAsync(ChunkStart + """{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":null}""" + "\n\n");
        await context.Response.WriteAsync(ChunkStart + """],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""" + "\n\n");
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }
}
