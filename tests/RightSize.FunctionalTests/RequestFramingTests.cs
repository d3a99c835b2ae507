using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using RightSize.FunctionalTests.Infrastructure;

namespace RightSize.FunctionalTests;

/// <summary>
/// However the client framed its body (chunked, chunked with trailers, chunked beside a
/// <c>Content-Length</c>), the upstream receives the body the gateway read and validated, with its
/// exact <c>Content-Length</c>. Requests go over a raw socket; route <c>cheap</c> sends to a
/// scripted upstream that keeps what it receives.
/// </summary>
public sealed class RequestFramingTests
{
    private const string Completion = """{"id":"c1","object":"chat.completion","model":"sim-small","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";
    private static readonly string Body = Json.Chat("cheap", "hi");
    private static readonly string Forwarded = Json.Chat("sim-small", "hi");

    private readonly ConcurrentQueue<(IHeaderDictionary Headers, string Body)> _received = new();

    public static TheoryData<string> ChunkedFramings => new()
    {
        $"Transfer-Encoding: chunked\r\n\r\n{Body.Length:x}\r\n{Body}\r\n0\r\n\r\n",
        $"Transfer-Encoding: chunked\r\nTrailer: x-checksum\r\n\r\n{Body.Length:x}\r\n{Body}\r\n0\r\nx-checksum: 1\r\n\r\n",
        $"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n{Body.Length:x}\r\n{Body}\r\n0\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(ChunkedFramings))]
    public async Task Post_ChunkedBody_ForwardedWithItsExactContentLength(string framing)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(AnswerAsync);
        await using var harness = await GatewayHarness.StartAsync(settings => settings["RightSize:Upstreams:up-small:BaseUrl"] = upstream.BaseUrl);

        var response = await SendAsync(harness, "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + framing);

        Assert.StartsWith("HTTP/1.1 200 ", response, StringComparison.Ordinal);
        var (headers, body) = Assert.Single(_received);
        Assert.Equal(Forwarded, body);
        Assert.Equal(Encoding.UTF8.GetByteCount(Forwarded), headers.ContentLength);
        Assert.False(headers.ContainsKey("Transfer-Encoding"));
        Assert.False(headers.ContainsKey("Trailer"));
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var headers = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        _received.Enqueue((headers, await new StreamReader(context.Request.Body).ReadToEndAsync()));
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Completion));
    }

    /// <summary>Sends raw bytes and reads the answer until the gateway closes the connection (the request asks it to).</summary>
    private static async Task<string> SendAsync(GatewayHarness harness, string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(harness.BaseAddress.Host, harness.BaseAddress.Port, TestContext.Current.CancellationToken);
        await socket.SendAsync(Encoding.UTF8.GetBytes(request.Replace("Host: localhost\r\n", "Host: localhost\r\nConnection: close\r\n", StringComparison.Ordinal)));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, TestContext.Current.CancellationToken)) > 0) received.Write(buffer, 0, read);
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
