using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// Header values outside ASCII, which Kestrel accepts as UTF-8 (an app's name in a custom header,
/// <c>User-Agent: café</c>): the gateway passes them on byte for byte in both directions. Until
/// 2026-12-01 .NET's HttpClient refused to send such a request header, so every tier failed
/// with <c>upstream-error</c>, a 502, and five such requests opened an upstream's circuit for
/// every other client. Route <c>cheap</c> sends to a scripted upstream that keeps what it receives.
/// </summary>
public sealed class NonAsciiHeaderTests
{
    private const string Completion = """{"id":"c1","object":"chat.completion","model":"sim-small","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";

    private readonly ConcurrentQueue<string> _received = new();

    [Fact]
    public async Task Post_ClientHeaderOutsideAscii_ForwardedAsSentAndNoCircuitOpens()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(AnswerAsync, UseUtf8Headers);
        await using var harness = await StartGatewayAsync(upstream);
        using var client = Utf8Client(harness.BaseAddress);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
            request.Headers.Add("x-note", "café ☕");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(Enumerable.Repeat("café ☕", 6), _received);
    }

    [Fact]
    public async Task Post_UpstreamHeaderOutsideAscii_PassedToTheClientAsSent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.Headers["x-upstream-note"] = "café ☕";
            return AnswerAsync(context);
        }, UseUtf8Headers);
        await using var harness = await StartGatewayAsync(upstream);
        using var client = Utf8Client(harness.BaseAddress);

        using var response = await client.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("café ☕", Json.Header(response, "x-upstream-note"));
        Assert.Contains("hello", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static void UseUtf8Headers(KestrelServerOptions options) => options.ResponseHeaderEncodingSelector = _ => Encoding.UTF8;

    private static HttpClient Utf8Client(Uri baseAddress) => new(new SocketsHttpHandler
    {
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    })
    { BaseAddress = baseAddress };

    private async Task AnswerAsync(HttpContext context)
    {
        _received.Enqueue(context.Request.Headers["x-note"].ToString());
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Completion));
    }

    private static Task<GatewayHarness> StartGatewayAsync(ScriptedUpstream upstream) =>
        GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl);
}
