using System.Net;
using System.Net.Sockets;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// A TCP port that was free a moment ago, for a process that must be told a fixed port (as the
/// manifests and the image do) rather than 0. Another process could take it in between; the tests
/// that use it start at once.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
