using System.Diagnostics.Metrics;
using System.Net;
using RightSize.Server.Configuration;
using RightSize.Server.Telemetry;

namespace RightSize.Server.Forwarding;

/// <summary>The one outbound connection pool: a <see cref="SocketsHttpHandler"/> set up as YARP recommends for proxies, shared by every upstream's client.</summary>
internal sealed class ForwardingHttpClient : IDisposable
{
    /// <param name="store">The configuration (its connect timeout).</param>
    /// <param name="propagation">What trace context goes upstream; left out, the gateway's own (<see cref="TracePropagation.Traced"/>).</param>
    /// <param name="meterFactory">The host's, so the pool's <c>http.client.*</c> metrics are this host's (<see cref="GatewayMeters"/>); left out, process-wide.</param>
    public ForwardingHttpClient(GatewaySnapshotStore store, TracePropagation? propagation = null, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        Handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = (propagation ?? TracePropagation.Traced).HeadersPropagator,
            ConnectTimeout = store.Current.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MeterFactory = meterFactory,
        };
        HeaderEncoding.Apply(Handler);
    }

    public SocketsHttpHandler Handler { get; }

    public void Dispose() => Handler.Dispose();
}
