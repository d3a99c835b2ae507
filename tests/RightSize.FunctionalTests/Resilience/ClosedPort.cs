using System.Net;
using System.Net.Sockets;

namespace RightSize.FunctionalTests.Resilience;

/// <summary>
/// A loopback port nothing listens on, for as long as this is not disposed: its socket is bound but
/// never listens, so a connection to it is refused, and no other listener asking for a free port is
/// given it meanwhile (as it could be once a port is freed).
/// </summary>
internal sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>An upstream base URL on this port.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

    public void Dispose() => _socket.Dispose();
}
