using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using RightSize.FunctionalTests.Telemetry;
using Serilog.Core;
using Serilog.Events;

namespace RightSize.FunctionalTests;

/// <summary>
/// Request bodies the server cannot read, sent over a raw socket: the client gets an
/// OpenAI-shaped 4xx when it is still there, nothing reaches an upstream, and the gateway does
/// not log an error for what is the client's fault.
/// </summary>
public sealed class BrokenBodyTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly MemorySink _sink = new();
    private TelemetryGateway _gateway = null!;

    public async ValueTask InitializeAsync() =>
        _gateway = await TelemetryGateway.StartAsync(
            settings =>
            {
                settings["Serilog:MinimumLevel:Default"] = "Verbose";
                settings["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose";
            },
            services => services.AddSingleton<ILogEventSink>(_sink));

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Post_BrokenChunkedFraming_400UnreadableBody()
    {
        var (status, body) = await SendAsync(Headers("Transfer-Encoding: chunked") + "ZZ\r\nabc\r\n0\r\n\r\n", closeSend: false);

        AssertOpenAIError(status, body, 400, "unreadable_body");
        Assert.Equal(0, _gateway.Upstreams.TotalReceived);
        Assert.Empty(Errors());
    }

    [Fact]
    public async Task Post_BodyThatStopsArriving_408RequestTimeout()
    {
        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) ends the read.
        var (status, body) = await SendAsync(Headers("Content-Length: 100") + """{"model":"cheap",""", closeSend: false);

        AssertOpenAIError(status, body, 408, "request_timeout");
        Assert.Equal(0, _gateway.Upstreams.TotalReceived);
        Assert.Empty(Errors());
    }

    [Fact]
    public async Task Post_ClientResetsWhileSending_LoggedAs499AndNotAsAnError()
    {
        // Ten times: the error this guards against (Kestrel draining a body whose read was cut) is a race.
        const int resets = 10;
        for (var i = 0; i < resets; i++)
        {
            using var socket = await ConnectAsync();
            await socket.SendAsync(Encoding.ASCII.GetBytes(Headers("Content-Length: 1000") + """{"model":"cheap","messages":"""));
            // Reset only once the server has the request: a reset that beats it (a busy machine)
            // would end a connection that never became a request, and nothing would be logged.
            await WaitForAsync(i + 1, e => e.MessageTemplate.Text.StartsWith("Request starting", StringComparison.Ordinal));
            socket.LingerState = new LingerOption(true, 0); // close with a reset, not a FIN
        }

        var finished = await WaitForAsync(resets, e => e.MessageTemplate.Text.StartsWith("Request finished", StringComparison.Ordinal));
        await WaitForAsync(resets, e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains("ConnectionStop", StringComparison.Ordinal)); // after any draining

        Assert.All(finished, e => Assert.Equal("499", e.Properties["StatusCode"].ToString()));
        Assert.Equal(0, _gateway.Upstreams.TotalReceived);
        Assert.Empty(Errors());
    }

    [Fact]
    public async Task Post_ClientClosesWhileSending_LoggedAs499AndNotAsAnError()
    {
        // Kestrel answers "Expect: 100-continue" when the gateway starts reading the body, so the
        // close below comes while that read waits for the rest: the server sees the body end early.
        const int closes = 10;
        for (var i = 0; i < closes; i++)
        {
            using var socket = await ConnectAsync();
            await socket.SendAsync(Encoding.ASCII.GetBytes(Headers("Content-Length: 1000\r\nExpect: 100-continue")));
            await ReceiveContinueAsync(socket);
            await socket.SendAsync(Encoding.ASCII.GetBytes("""{"model":"""));
            socket.Close(); // a normal close (a FIN), not a reset
        }

        var finished = await WaitForAsync(closes, e => e.MessageTemplate.Text.StartsWith("Request finished", StringComparison.Ordinal));

        Assert.All(finished, e => Assert.Equal("499", e.Properties["StatusCode"].ToString()));
        Assert.Equal(0, _gateway.Upstreams.TotalReceived);
        Assert.Empty(Errors());
    }

    [Fact]
    public async Task Post_BodyOverTheServersOwnLimitButUnderTheGateways_IsServed()
    {
        // Kestrel's own limit set under the gateway's (4 MiB by default): the gateway's must win.
        await using var gateway = await TelemetryGateway.StartAsync(services: services => services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = 1_000));

        var (response, body) = await gateway.ChatAsync("cheap", new string('a', 2_000));

        Assert.True(response.IsSuccessStatusCode, body);
    }

    private static string Headers(string framing) =>
        $"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{framing}\r\n\r\n";

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_gateway.BaseAddress.Host, _gateway.BaseAddress.Port);
        return socket;
    }

    private static async Task ReceiveContinueAsync(Socket socket)
    {
        const string expected = "HTTP/1.1 100 Continue\r\n\r\n";
        using var timeout = new CancellationTokenSource(Wait);
        var received = new StringBuilder();
        var buffer = new byte[expected.Length];
        while (received.Length < expected.Length)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(0, expected.Length - received.Length), SocketFlags.None, timeout.Token);
            if (read == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.Equal(expected, received.ToString());
    }

    /// <summary>Sends raw bytes, optionally half-closes, and reads until the server closes the connection.</summary>
    private async Task<(int Status, string Body)> SendAsync(string request, bool closeSend)
    {
        using var socket = await ConnectAsync();
        await socket.SendAsync(Encoding.UTF8.GetBytes(request));
        if (closeSend) socket.Shutdown(SocketShutdown.Send);

        using var timeout = new CancellationTokenSource(Wait);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0) received.Write(buffer, 0, read);

        var text = Encoding.UTF8.GetString(received.ToArray());
        var status = int.Parse(text.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyStart < 0 ? string.Empty : text[(bodyStart + 4)..]);
    }

    private static void AssertOpenAIError(int status, string body, int expectedStatus, string code)
    {
        Assert.Equal(expectedStatus, status);
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    private List<LogEvent> Errors() => [.. _sink.Events.Where(e => e.Level >= LogEventLevel.Error)];

    private async Task<List<LogEvent>> WaitForAsync(int count, Func<LogEvent, bool> match)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var found = _sink.Events.Where(match).ToList();
            if (found.Count >= count) return found;
            await Task.Delay(25);
        }

        throw new TimeoutException($"Fewer than {count} matching log events arrived.");
    }
}
