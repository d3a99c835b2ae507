using Microsoft.AspNetCore.Http;
using OpenAI.Chat;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// The <c>x-rightsize-*</c> headers a client sees are this gateway's decision only, even when the
/// upstream is itself a RightSize gateway (a sidecar in front of a central one) and answers with
/// decision headers of its own, or with any other <c>x-rightsize-*</c> header. Every tier, the pass-through upstream and the embeddings upstream
/// point at one scripted upstream that does so.
/// </summary>
public sealed class DecisionHeaderTests : IAsyncLifetime
{
    private const string Completion = """{"id":"c1","object":"chat.completion","created":1,"model":"inner-model","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";
    private const string Embeddings = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,0.5]}],"model":"inner-model","usage":{"prompt_tokens":1,"total_tokens":1}}""";

    private ScriptedUpstream _upstream = null!;
    private GatewayHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await ScriptedUpstream.StartAsync(AnswerAsInnerGatewayAsync);
        _harness = await GatewayHarness.StartAsync(settings =>
        {
            foreach (var tier in new[] { "small", "mid", "frontier" }) settings[$"RightSize:Upstreams:up-{tier}:BaseUrl"] = _upstream.BaseUrl;
            settings["RightSize:Passthrough:Upstream"] = "up-small";
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task CompleteChat_PassThroughToGatewayWithHeaders_NoRouteOrTierHeader()
    {
        var result = await _harness.OpenAIClient().GetChatClient("gpt-unclaimed").CompleteChatAsync([new UserChatMessage("hello")]);

        var headers = result.GetRawResponse().Headers;
        Assert.False(headers.TryGetValue("x-rightsize-route", out var route), $"x-rightsize-route: {route}");
        Assert.False(headers.TryGetValue("x-rightsize-tier", out var tier), $"x-rightsize-tier: {tier}");
        Assert.True(headers.TryGetValue("x-rightsize-reason", out var reason));
        Assert.Equal("passthrough", reason);
        Assert.True(headers.TryGetValue("x-rightsize-model", out var model));
        Assert.Equal("gpt-unclaimed", model);
    }

    [Fact]
    public async Task GenerateEmbedding_RouteWithoutTier_RouteIsOursAndNoTierHeader()
    {
        var result = await _harness.OpenAIClient("routes/cheap/").GetEmbeddingClient("text-embedding-3-small").GenerateEmbeddingAsync("hello");

        var headers = result.GetRawResponse().Headers;
        Assert.True(headers.TryGetValue("x-rightsize-route", out var route));
        Assert.Equal("cheap", route);
        Assert.False(headers.TryGetValue("x-rightsize-tier", out var tier), $"x-rightsize-tier: {tier}");
        Assert.True(headers.TryGetValue("x-rightsize-reason", out var reason));
        Assert.Equal("passthrough", reason);
    }

    [Fact]
    public async Task CompleteChat_Routed_HeadersNameThisGatewaysDecision()
    {
        var result = await _harness.OpenAIClient().GetChatClient("cheap").CompleteChatAsync([new UserChatMessage("hello")]);

        var headers = result.GetRawResponse().Headers;
        Assert.True(headers.TryGetValue("x-rightsize-route", out var route));
        Assert.Equal("cheap", route);
        Assert.True(headers.TryGetValue("x-rightsize-tier", out var tier));
        Assert.Equal("small", tier);
        Assert.True(headers.TryGetValue("x-rightsize-reason", out var reason));
        Assert.Equal("default-tier", reason);
    }

    [Theory]
    [InlineData("cheap", "x-rightsize-confidence,x-rightsize-model,x-rightsize-reason,x-rightsize-route,x-rightsize-tier")]
    [InlineData("gpt-unclaimed", "x-rightsize-confidence,x-rightsize-model,x-rightsize-reason")]
    public async Task CompleteChat_UpstreamSendsOtherRightSizeHeaders_OnlyThisGatewaysDecisionHeadersReachClient(string model, string expected)
    {
        var result = await _harness.OpenAIClient().GetChatClient(model).CompleteChatAsync([new UserChatMessage("hello")]);

        var names = result.GetRawResponse().Headers
            .Select(header => header.Key.ToLowerInvariant())
            .Where(name => name.StartsWith("x-rightsize-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(",", names));
    }

    // What a RightSize gateway upstream of this one adds to its answers.
    private static async Task AnswerAsInnerGatewayAsync(HttpContext context)
    {
        context.Response.Headers["x-rightsize-route"] = "inner-route";
        context.Response.Headers["x-rightsize-tier"] = "frontier";
        context.Response.Headers["x-rightsize-model"] = "inner-model";
        context.Response.Headers["x-rightsize-confidence"] = "0.900";
        context.Response.Headers["x-rightsize-reason"] = "classifier";
        context.Response.Headers["x-rightsize-internal"] = "spoof"; // not one of the five: removed by its prefix
        context.Response.Headers["X-RightSize-Debug"] = "inner";
        context.Response.ContentType = "application/json";
        var embeddings = context.Request.Path.Value!.EndsWith("/embeddings", StringComparison.Ordinal);
        await context.Response.WriteAsync(embeddings ? Embeddings : Completion);
    }
}
