using System.ClientModel;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Server.Observability;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>
/// A request still running when the host's shutdown timeout is about to run out ends with an
/// error its client can read (<c>shutting_down</c>): a 503 before the answer started, an error
/// event and no <c>[DONE]</c> on a stream that did. It is not logged as the client's abort.
/// </summary>
public sealed class ShutdownCutoffTests : IAsyncLifetime
{
    /// <summary>
    /// The cutoff then comes 3 s after the stop began, 1 s (the most the gateway keeps) before the
    /// host's own abort: room for the error event to be written and sent on a loaded machine.
    /// </summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(4);

    private readonly RecordingObserver _observer = new();
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync(
        configure: null,
        upstreams: null,
        services: s =>
        {
            s.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
            s.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver>(_observer));
        });

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Stream_OutlastsShutdownTimeout_EndsWithShuttingDownEventNotDone()
    {
        _harness.Upstreams.Small.Fail("drip=1000");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = Json.Body(Json.Chat("cheap", "tell me a long story about the sea and the ships", ",\"stream\":true")),
        };
        using var response = await _harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var first = await SseEvents.ReadNextAsync(reader, TestContext.Current.CancellationToken);

        var stopping = _harness.Gateway.App.StopAsync(TestContext.Current.CancellationToken);
        var rest = await SseEvents.ReadToEndAsync(reader);
        await stopping;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"content\"", first, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"shutting_down\"", rest[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", rest);
        var record = await _observer.NextAsync();
        Assert.True(record.StreamFailed);
        Assert.False(record.ClientAborted);
        Assert.Equal("shutdown", record.Attempts[^1].Failure);
    }

    [Fact]
    public async Task NonStream_NoAnswerBeforeCutoff_OpenAISdkGets503ShuttingDown()
    {
        _harness.Upstreams.Small.Fail("delay=6000");
        var client = _harness.ChatClient("cheap");

        var call = client.CompleteChatAsync([new UserChatMessage("what is two plus two?")], cancellationToken: TestContext.Current.CancellationToken);
        await _harness.Upstreams.Small.Journal.WaitForRequestAsync(TestUpstreams.SmallModel, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var stopping = _harness.Gateway.App.StopAsync(TestContext.Current.CancellationToken);
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => call);
        await stopping;

        Assert.Equal(503, failure.Status);
        Assert.Contains("shutting down", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, _harness.Upstreams.Mid.Journal.TotalReceived);
        var record = await _observer.NextAsync();
        Assert.Equal(503, record.StatusCode);
        Assert.False(record.ClientAborted);
        Assert.Equal("shutdown", record.Attempts[^1].Failure);
    }
}
