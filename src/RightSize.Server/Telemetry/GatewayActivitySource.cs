using System.Diagnostics;

namespace RightSize.Server.Telemetry;

/// <summary>The gateway's one <see cref="ActivitySource"/>: a span per upstream attempt.</summary>
internal static class GatewayActivitySource
{
    public static ActivitySource Source { get; } = new(TelemetryNames.ActivitySourceName);
}
