using System.Net;
using System.Net.Sockets;
using RightSize.Upstream.Simulator;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.FunctionalTests.Resilience;

internal static class FaultHelpers
{
    /// <summary>Scripts a fault for every request to this simulator's model.</summary>
    public static void Fail(this UpstreamSimulator simulator, string script)
    {
        foreach (var model in simulator.Service.Options.Models) simulator.Faults.Set(model, FaultScript.Parse(script));
    }

    /// <summary>A loopback port nothing listens on.</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
