using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Server.Observability;

namespace RightSize.FunctionalTests;

/// <summary>
/// Usage is read from every response without buffering streams: the gateway asks a streaming
/// upstream for its usage chunk and hides it from a client that did not ask for it.
/// </summary>
public sealed class UsageCaptureTests : IAsyncLifetime
{
    private readonly RecordingObserver _observer = new();
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync(
        configure: null,
        upstreams: null,
        services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver>(_observer)));

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Stream_ClientDidNotAskForUsage_UsageCapturedButChunkHidden()
    {
        var text = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "count the words in this prompt", ",\"stream\":true")))
            .ContinueWith(t => t.Result.Content.ReadAsStringAsync()).Unwrap();

        var record = await _observer.NextAsync();
        Assert.DoesNotContain("\"choices\":[]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"prompt_tokens\"", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]", text.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("\"stream_options\":{\"include_usage\":true}", _harness.Upstreams.Small.Journal.Snapshot()[0].BodyText, StringComparison.Ordinal);
        Assert.NotNull(record.Usage);
        Assert.True(record.Usage!.Value.PromptTokens > 0);
        Assert.Equal(7, record.Usage.Value.CompletionTokens); // "[sim-small]" and the six words echoed back
        Assert.NotNull(record.TimeToFirstChunk);
    }

    [Fact]
    public async Task PassthroughStream_ClientDidNotAskForUsage_UsageCapturedButChunkHiddenModelKept()
    {
        var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat(TestUpstreams.FrontierModel, "count the words in this prompt", ",\"stream\":true")));
        var text = await response.Content.ReadAsStringAsync();

        var record = await _observer.NextAsync();
        Assert.Equal("passthrough", record.Reason);
        Assert.DoesNotContain("\"prompt_tokens\"", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]", text.TrimEnd(), StringComparison.Ordinal);
        var received = Assert.Single(_harness.Upstreams.Frontier.Journal.Snapshot());
        Assert.Equal(TestUpstreams.FrontierModel, received.Model);
        Assert.Contains("\"stream_options\":{\"include_usage\":true}", received.BodyText, StringComparison.Ordinal);
        Assert.True(record.Usage!.Value.PromptTokens > 0);
        Assert.True(record.Usage.Value.CompletionTokens > 0);
    }

    [Fact]
    public async Task Stream_ClientAskedForUsage_SeesTheUsageChunk()
    {
        var client = _harness.ChatClient("cheap");
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("count the words in this prompt")], new ChatCompletionOptions()))
        {
            usage ??= update.Usage;
        }

        var record = await _observer.NextAsync();
        Assert.NotNull(usage);
        Assert.Equal(usage!.OutputTokenCount, record.Usage!.Value.CompletionTokens);
        Assert.Equal(usage.InputTokenCount, record.Usage.Value.PromptTokens);
    }

    [Fact]
    public async Task NonStream_UsageCapturedFromBody()
    {
        var result = await _harness.ChatClient("cheap").CompleteChatAsync([new UserChatMessage("hello world")]);

        var record = await _observer.NextAsync();
        Assert.Equal(result.Value.Usage.InputTokenCount, record.Usage!.Value.PromptTokens);
        Assert.Equal(result.Value.Usage.OutputTokenCount, record.Usage.Value.CompletionTokens);
        Assert.Equal("cheap", record.Route);
        Assert.Equal("small", record.Tier);
        Assert.Equal(200, record.StatusCode);
    }
}
