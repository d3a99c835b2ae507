using System.Diagnostics;
using System.Net;
using RightSize.Server.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace RightSize.Server.Forwarding;

/// <summary>The one outbound connection pool: a <see cref="SocketsHttpHandler"/> set up as YARP recommends for proxies, shared by every upstream's client.</summary>
public sealed class ForwardingHttpClient : IDisposable
{
    public ForwardingHttpClient(GatewaySnapshotStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = store.Current.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
    }

    public SocketsHttpHandler Handler { get; }

    public void Dispose() => Handler.Dispose();
}
