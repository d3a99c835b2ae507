using System.Net.Sockets;
using System.Text;

namespace RightSize.Upstream.Simulator.Tests.TestSupport;

/// <summary>Sends bytes no HttpClient would send (a false Content-Length, broken chunking) and reads the raw answer.</summary>
internal static class RawHttp
{
    /// <summary>Connects, writes <paramref name="request"/> (ASCII), and reads until the server closes the connection.</summary>
    public static async Task<RawResponse> SendAsync(Uri server, string request, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        return RawResponse.Parse(text);
    }
}

/// <summary>A raw HTTP/1.1 answer: the status code and the body after the blank line.</summary>
internal sealed record RawResponse(int StatusCode, string Body)
{
    public static RawResponse Parse(string text)
    {
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var statusLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
        return new RawResponse(int.Parse(statusLine.Split(' ')[1]), headEnd < 0 ? string.Empty : text[(headEnd + 4)..]);
    }
}
