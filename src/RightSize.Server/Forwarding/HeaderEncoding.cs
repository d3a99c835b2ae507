using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RightSize.Server.Forwarding;

/// <summary>
/// Header values outside ASCII pass through the gateway as the UTF-8 they arrived in, both ways.
/// Kestrel reads a request's as UTF-8 by default; .NET's HttpClient, without an encoding, refuses
/// to send such a value and reads an answer's as Latin-1, and Kestrel refuses to write one. Left so,
/// a client header such as <c>x-note: café</c> would fail every tier as <c>upstream-error</c>
/// (a 502, counted against the upstreams' circuits: five such requests would open one for
/// everybody), and an upstream's would be dropped from the answer.
/// </summary>
internal static class HeaderEncoding
{
    /// <summary>Sends request headers and reads response headers as UTF-8 on the outbound pool.</summary>
    public static void Apply(SocketsHttpHandler handler)
    {
        handler.RequestHeaderEncodingSelector = static (_, _) => Encoding.UTF8;
        handler.ResponseHeaderEncodingSelector = static (_, _) => Encoding.UTF8;
    }

    /// <summary>
    /// Writes response headers as UTF-8 on the gateway's own server, except where the host chose
    /// an encoding for a header (Kestrel's default selector chooses none).
    /// </summary>
    public static void Apply(KestrelServerOptions options)
    {
        var chosen = options.ResponseHeaderEncodingSelector;
        options.ResponseHeaderEncodingSelector = name => chosen(name) ?? Encoding.UTF8;
    }
}
