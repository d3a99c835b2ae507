using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// Headers that belong to one side of the gateway stay there. Hop-by-hop headers (RFC 9110
/// §7.6.1) stay on their own connection: those a client or an upstream names in
/// <c>Connection</c>, and a client's <c>Expect</c> the gateway has met itself. Cookies stay on
/// their own side: a client's <c>Cookie</c> never reaches a provider, and a provider's
/// <c>Set-Cookie</c> never reaches the client, where it would be kept under the gateway's host
/// and sent back on requests bound for other providers; nor does its <c>Strict-Transport-Security</c>,
/// which would pin the gateway's domain. Header values outside ASCII pass both ways as the UTF-8
/// they came in. Route <c>cheap</c> sends to a scripted
/// upstream that keeps every request it receives.
/// </summary>
public sealed class HeaderBoundaryTests
{
    private const string Completion = """{"id":"c1","object":"chat.completion","model":"sim-small","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";

    private readonly ConcurrentQueue<IHeaderDictionary> _received = new();

    [Fact]
    public async Task Post_HeaderNamedInClientsConnection_NotForwarded()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context => AnswerAsync(context));
        await using var harness = await StartGatewayAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
        request.Headers.Connection.Add("x-hop");
        request.Headers.Add("x-hop", "for-the-gateway-only");
        request.Headers.Add("x-end-to-end", "kept");

        using var response = await harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_received);
        Assert.False(received.ContainsKey("x-hop"));
        Assert.Equal("kept", received["x-end-to-end"].ToString());
    }

    [Fact]
    public async Task Post_HeaderNamedInUpstreamsConnection_NotReturnedToClient()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.Headers.Connection = "x-upstream-hop";
            context.Response.Headers["x-upstream-hop"] = "for-the-gateway-only";
            context.Response.Headers["x-request-id"] = "req-1";
            return AnswerAsync(context);
        });
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("x-upstream-hop"));
        Assert.Equal("req-1", Json.Header(response, "x-request-id"));
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
    }

    [Fact]
    public async Task Post_ClientExpects100Continue_ExpectationNotPassedToUpstream()
    {
        // The gateway has the whole body before it forwards: the expectation was the gateway's to
        // meet. An upstream that does not support it answers 417 (RFC 9110 §10.1.1).
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            if (context.Request.Headers.ContainsKey("Expect"))
            {
                context.Response.StatusCode = StatusCodes.Status417ExpectationFailed;
                return Task.CompletedTask;
            }

            return AnswerAsync(context);
        });
        await using var harness = await StartGatewayAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
        request.Headers.ExpectContinue = true;

        using var response = await harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_received);
    }

    [Fact]
    public async Task Post_ClientCookie_NotForwarded()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(AnswerAsync);
        await using var harness = await StartGatewayAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
        request.Headers.Add("Cookie", "session=client-secret");

        using var response = await harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_received);
        Assert.False(received.ContainsKey("Cookie"));
    }

    [Fact]
    public async Task Post_ClientSendsRightSizeHeaders_NoneForwardedAndTierOverrideStillRead()
    {
        // x-rightsize-* names are the gateway's own: the gateway reads x-rightsize-tier, and no
        // such header, in any case, goes on to a provider (or to a RightSize gateway upstream).
        await using var upstream = await ScriptedUpstream.StartAsync(AnswerAsync);
        await using var harness = await StartGatewayAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json.Body(Json.Chat("cheap", "hi")) };
        request.Headers.Add("X-RightSize-Tier", "small");
        request.Headers.Add("x-rightsize-internal", "spoof");
        request.Headers.Add("X-RIGHTSIZE-ROUTE", "other");
        request.Headers.Add("x-end-to-end", "kept");

        using var response = await harness.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("override", Json.Header(response, "x-rightsize-reason"));
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
        var received = Assert.Single(_received);
        Assert.DoesNotContain(received.Keys, name => name.StartsWith("x-rightsize-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("kept", received["x-end-to-end"].ToString());
    }

    [Fact]
    public async Task Post_UpstreamSetsCookie_NotReturnedToClient()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.Headers.SetCookie = "__edge=provider-session; Path=/; HttpOnly";
            context.Response.Headers["x-request-id"] = "req-1";
            return AnswerAsync(context);
        });
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal("req-1", Json.Header(response, "x-request-id"));
    }

    [Theory]
    [InlineData("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload")]
    [InlineData("Alt-Svc", "h3=\":443\"; ma=86400")]
    [InlineData("openai-organization", "org-operators-account")]
    [InlineData("openai-project", "proj_operators-project")]
    public async Task Post_UpstreamSendsAHeaderAboutItsOwnHost_NotReturnedToClient(string name, string value)
    {
        // Behind a TLS ingress the provider's HSTS policy would pin the gateway's own domain, and
        // with includeSubDomains every subdomain of it, to HTTPS; its Alt-Svc would send clients
        // to the provider's endpoint (YARP drops that one itself).
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.Headers[name] = value;
            context.Response.Headers["x-request-id"] = "req-1";
            return AnswerAsync(context);
        });
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains(name));
        Assert.Equal("req-1", Json.Header(response, "x-request-id"));
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("Proxy-Authorization")]
    public async Task Post_UpstreamEchoesAKeyHeader_NotReturnedToClient(string name)
    {
        // A request header on an answer: an upstream that echoes the key it was sent (the
        // gateway's) must not hand it to the client. YARP drops Proxy-Authorization itself (as
        // hop-by-hop); the gateway does not rely on that.
        await using var upstream = await ScriptedUpstream.StartAsync(context =>
        {
            context.Response.Headers[name] = "Bearer sk-upstream-key-echoed";
            context.Response.Headers["x-request-id"] = "req-1";
            return AnswerAsync(context);
        });
        await using var harness = await StartGatewayAsync(upstream);

        using var response = await harness.Http.PostAsync("v1/chat/completions", Json.Body(Json.Chat("cheap", "hi")), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // By enumeration: HttpResponseHeaders refuses a request header's name in Contains.
        Assert.DoesNotContain(response.Headers.Concat(response.Content.Headers), header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("req-1", Json.Header(response, "x-request-id"));
    }

    [Fact]
    public async Task Post_ClientHeaderOutsideAscii_ForwardedAsSentAndNoCircuitOpens()
    {
        // Kestrel reads such a value as UTF-8. Until 2026-12-01 HttpClient refused to send it, so
        // every tier failed as upstream-error, and five such requests opened the circuit for everybody.
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
        Assert.Equal(Enumerable.Repeat("café ☕", 6), _received.Select(headers => headers["x-note"].ToString()));
    }

    [Fact]
    public async Task Post_UpstreamHeaderOutsideAscii_PassedToTheClientAsSent()
    {
        // Until 2026-12-01 Kestrel refused to write it, which failed the attempt.
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
        Assert.Equal("small", Json.Header(response, "x-rightsize-tier"));
    }

    private static void UseUtf8Headers(KestrelServerOptions options) => options.ResponseHeaderEncodingSelector = _ => Encoding.UTF8;

    // A client that sends and reads header values outside ASCII as UTF-8, as Kestrel does.
    private static HttpClient Utf8Client(Uri baseAddress) => new(new SocketsHttpHandler
    {
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    })
    { BaseAddress = baseAddress };

    private async Task AnswerAsync(HttpContext context)
    {
        _received.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)));
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Completion));
    }

    private static Task<GatewayHarness> StartGatewayAsync(ScriptedUpstream upstream) =>
        GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl);
}
