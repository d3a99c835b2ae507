using System.Net;
using System.Net.Sockets;

namespace RightSize.Deployment.Tests.Infrastructure;

/// <summary>
/// TCP ports that were free a moment ago, for a process that must be told a fixed port (as the
/// manifests and the image do) rather than 0. Another process can take one before the process
/// started on it binds it: <see cref="StartAsync"/> then starts it again on new ports.
/// </summary>
public static class FreePort
{
    private const int Attempts = 3;

    /// <summary>The message Kestrel fails with when a port is taken, which the gateway's output repeats.</summary>
    private const string AddressInUse = "address already in use";

    /// <summary>
    /// Runs <paramref name="start"/> with <paramref name="count"/> distinct ports and returns what it
    /// started with those ports. When the start fails because a port was taken in between (a
    /// <see cref="GatewayProcess"/> fails with the gateway's output), it runs again on new ports, at
    /// most <c>3</c> times in all.
    /// </summary>
    public static async Task<(T Started, IReadOnlyList<int> Ports)> StartAsync<T>(int count, Func<IReadOnlyList<int>, Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (var attempt = 1; ; attempt++)
        {
            var ports = Take(count);
            try
            {
                return (await start(ports), ports);
            }
            catch (InvalidOperationException ex) when (attempt < Attempts && ex.Message.Contains(AddressInUse, StringComparison.OrdinalIgnoreCase))
            {
            }
        }
    }

    /// <summary>Ports held together until all are known, so that none is handed out twice.</summary>
    private static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners) listener.Dispose();
        }
    }
}
