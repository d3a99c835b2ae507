using Microsoft.Extensions.Hosting;

namespace RightSize.Server.Hosting;

/// <summary>Tracks whether the host is shutting down, so readiness turns false while in-flight requests drain.</summary>
public sealed class GatewayLifecycle
{
    private volatile bool _draining;

    public GatewayLifecycle(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        lifetime.ApplicationStopping.Register(() => _draining = true);
    }

    public bool IsDraining => _draining;
}
