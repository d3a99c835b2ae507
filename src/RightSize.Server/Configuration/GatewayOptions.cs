namespace RightSize.Server.Configuration;

/// <summary><c>RightSize:Gateway</c>: limits and timeouts of the gateway itself.</summary>
public sealed class GatewayOptions
{
    /// <summary>Largest request body accepted, in bytes; larger bodies get a 413.</summary>
    public int MaxRequestBodyBytes { get; set; } = GatewayDefaults.MaxRequestBodyBytes;

    /// <summary>Most bytes the request bodies being routed may take together; a body that finds no room gets a 503. At least <see cref="MaxRequestBodyBytes"/>; read at start-up only.</summary>
    public long MaxBufferedRequestBytes { get; set; } = GatewayDefaults.MaxBufferedRequestBytes;

    /// <summary>Most bytes all non-streaming answers held back from their clients may take together; read at start-up only.</summary>
    public long MaxHeldResponseBytes { get; set; } = GatewayDefaults.MaxHeldResponseBytes;

    /// <summary>
    /// Longest time a client may take to send the rest of its request body once its first bytes
    /// have come; a body not whole by then gets a 408. Kestrel's minimum data rate catches a body that trickles from its
    /// start, not one that stalls after most of it came: that one would hold its share of
    /// <see cref="MaxBufferedRequestBytes"/> for hours.
    /// </summary>
    public TimeSpan RequestBodyTimeout { get; set; } = GatewayDefaults.RequestBodyTimeout;

    /// <summary>Longest silence tolerated from an upstream, once connected, before the request fails.</summary>
    public TimeSpan UpstreamActivityTimeout { get; set; } = GatewayDefaults.UpstreamActivityTimeout;

    /// <summary>Time allowed to open a connection to an upstream.</summary>
    public TimeSpan ConnectTimeout { get; set; } = GatewayDefaults.ConnectTimeout;
}
