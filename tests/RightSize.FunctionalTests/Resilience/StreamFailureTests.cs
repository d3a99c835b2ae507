using System.ClientModel;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;
using RightSize.Server.Observability;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>Once bytes have reached the client, a failing stream ends with an error the client sees, never a clean <c>[DONE]</c>.</summary>
public sealed class StreamFailureTests : IAsyncLifetime
{
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await GatewayHarness.StartAsync(settings =>
    {
        settings["RightSize:Routes:slow:Tier"] = "small";
        settings["RightSize:Routes:slow:Deadline"] = "00:00:02";
    });

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Stream_CutAfterFirstChunks_OpenAISdkRaisesAndNoDone()
    {
        _harness.Upstreams.Small.Fail("cut-after=2");
        var client = _harness.ChatClient("cheap");
        var deltas = new List<string>();

        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("tell me a story")]))
            {
                foreach (var part in update.ContentUpdate) deltas.Add(part.Text);
            }
        });

        Assert.NotNull(failure);
        Assert.Equal(2, deltas.Count);
        Assert.Equal(0, _harness.Upstreams.Mid.Journal.TotalReceived);
    }

    [Fact]
    public async Task Stream_CutAfterFirstChunks_RawClientSeesErrorEventNotDone()
    {
        _harness.Upstreams.Small.Fail("cut-after=2");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")) };
        using var response = await _harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await ReadUntilEndAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data: {\"error\":", text, StringComparison.Ordinal);
        Assert.Contains("upstream_error", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_CutInTheMiddleOfAnEvent_ClientGetsTheWholeEventsThenACleanErrorEvent()
    {
        // The simulator cuts only between events: this upstream sends one whole event and, in the
        // same write, half of the next, then drops the connection once the client holds the first.
        const string first = """{"id":"c1","object":"chat.completion.chunk","model":"sim-small","choices":[{"index":0,"delta":{"content":"one"},"finish_reason":null}]}""";
        var firstReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync($"data: {first}\n\ndata: {{\"id\":\"c2-half\",\"object\":\"chat.comp");
            await context.Response.Body.FlushAsync();
            await firstReceived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            context.Abort();
        });
        await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")) };
        using var response = await harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        var text = await ReadUntilEndAsync(response, afterFirstEvent: firstReceived.SetResult);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"data: {first}\n\ndata: {{\"error\":", text, StringComparison.Ordinal);
        Assert.DoesNotContain("c2-half", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_EventLongerThanTheGatewayHolds_ClientGetsTheWholeEventsThenAnErrorEvent()
    {
        // An upstream that never ends its second event: the gateway stops holding it at 16 MiB,
        // lets the upstream go and ends the stream with an error event, rather than growing without
        // bound or reading on until the upstream stops (here after 256 MiB) or the deadline.
        const string first = """{"id":"c1","object":"chat.completion.chunk","model":"sim-small","choices":[{"index":0,"delta":{"content":"one"},"finish_reason":null}]}""";
        var letGo = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync($"data: {first}\n\ndata: \"");
            var endless = new byte[64 * 1024];
            Array.Fill(endless, (byte)'y');
            try
            {
                for (var written = 0L; written <= 256L * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; written += endless.Length)
                {
                    await context.Response.Body.WriteAsync(endless, context.RequestAborted);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                // The gateway let go.
            }

            // A gateway reading on would still be waiting for the end of this response.
            letGo.TrySetResult(await ScriptedUpstream.WaitForAbortAsync(context, TimeSpan.FromSeconds(30)));
        });
        await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi", ",\"stream\":true")) };
        using var response = await harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        var text = await ReadUntilEndAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"data: {first}\n\ndata: {{\"error\":", text, StringComparison.Ordinal);
        Assert.True(await letGo.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken), "the gateway did not let the upstream go");
        Assert.DoesNotContain("yyyy", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_SlowDripPastDeadline_EndedByTheDeadlineWithTimeoutError()
    {
        // Six events 1.5 s apart would end cleanly with [DONE] well after the 2 s deadline: the
        // timeout error in its place shows that the deadline ended it.
        _harness.Upstreams.Small.Fail("drip=1500");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("slow", "hi", ",\"stream\":true")) };
        using var response = await _harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await ReadUntilEndAsync(response);

        Assert.Contains("upstream_timeout", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_SilentPastActivityTimeout_EndsWithTimeoutErrorAndIsNoClientAbort()
    {
        // The route's deadline is far off; the upstream's silence (6 s between events) outlasts
        // the gateway's 3 s activity timeout after the first event has gone out.
        var observer = new RecordingObserver();
        await using var harness = await StartWithActivityTimeoutAsync(observer);
        harness.Upstreams.Small.Fail("drip=6000");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("patient", "tell me a story", ",\"stream\":true")) };
        using var response = await harness.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await ReadUntilEndAsync(response);

        Assert.StartsWith("data: {", text, StringComparison.Ordinal);
        Assert.Contains("data: {\"error\":", text, StringComparison.Ordinal);
        Assert.Contains("upstream_timeout", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        var record = await observer.NextAsync();
        Assert.False(record.ClientAborted);
        Assert.True(record.StreamFailed);
        Assert.Equal("timeout", record.Attempts[^1].Failure);
    }

    [Fact]
    public async Task NonStream_SilentMidBodyPastActivityTimeout_NextTierAnswers()
    {
        // The gateway still holds a non-streamed answer, so the silence costs the client nothing.
        var observer = new RecordingObserver();
        await using var harness = await StartWithActivityTimeoutAsync(observer);
        harness.Upstreams.Small.Fail("drip=6000");

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("patient", "hi")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mid", Json.Header(response, "x-rightsize-tier"));
        Assert.Equal("fallback:timeout", Json.Header(response, "x-rightsize-reason"));
        var record = await observer.NextAsync();
        Assert.False(record.ClientAborted);
    }

    [Fact]
    public async Task NonStream_SlowUpstreamPastDeadline_504InOpenAIShape()
    {
        // The upstream would answer 200 after 6 s: a 504 means the 2 s deadline ended it first.
        _harness.Upstreams.Small.Fail("delay=6000");

        using var response = await _harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("slow", "hi")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("upstream_timeout", await Json.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Stream_ClientDisconnects_UpstreamSeesTheAbort()
    {
        // The next event is a minute away. The client cancels with no read pending, so its handler
        // drains the rest of the body for a while before closing the connection: a stream that
        // could end within that drain would reach the upstream as completed, not as an abort.
        _harness.Upstreams.Small.Fail("drip=60000");
        using var cancel = new CancellationTokenSource();
        var client = _harness.ChatClient("cheap");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("long story")], cancellationToken: cancel.Token))
            {
                if (update.ContentUpdate.Count > 0) await cancel.CancelAsync();
            }
        });

        var aborted = await _harness.Upstreams.Small.Journal.WaitForClientAbortAsync(TestUpstreams.SmallModel, TimeSpan.FromSeconds(10));
        Assert.True(aborted.ClientAborted);
    }

    /// <summary>
    /// A gateway whose route <c>patient</c> (small, then up the tiers) has a deadline far off and
    /// whose activity timeout is 3 s, so an upstream's silence ends the attempt first. The timeout
    /// also covers the healthy waits (response headers, first event): it leaves seconds for those
    /// on a busy machine, and the tests' silences are seconds longer than it.
    /// </summary>
    private static Task<GatewayHarness> StartWithActivityTimeoutAsync(RecordingObserver observer) => GatewayHarness.StartAsync(
        settings =>
        {
            settings["RightSize:Gateway:UpstreamActivityTimeout"] = "00:00:03";
            settings["RightSize:Routes:patient:Tier"] = "small";
            settings["RightSize:Routes:patient:Deadline"] = "00:00:30";
        },
        upstreams: null,
        services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestObserver>(observer)));

    /// <summary>The whole body as the client saw it; <paramref name="afterFirstEvent"/> runs once the first complete event has arrived.</summary>
    private static async Task<string> ReadUntilEndAsync(HttpResponseMessage response, Action? afterFirstEvent = null)
    {
        var text = new System.Text.StringBuilder();
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
                if (afterFirstEvent is not null && text.ToString().Contains("\n\n", StringComparison.Ordinal))
                {
                    afterFirstEvent();
                    afterFirstEvent = null;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The gateway cuts the connection after the error event, as it should.
        }

        return text.ToString();
    }
}
