namespace RightSize.Server.Endpoints;

/// <summary>The gateway's own endpoints beside the OpenAI API (<see cref="OpenAIPaths"/>) and the telemetry ones (<see cref="Telemetry.TelemetryConstants"/>).</summary>
internal static class GatewayPaths
{
    /// <summary>Liveness: the process answers.</summary>
    public const string Live = "/healthz";

    /// <summary>Readiness: 200 while the gateway serves, 503 once it is draining.</summary>
    public const string Ready = "/readyz";

    /// <summary>The dry run: the routing decision for a request, sent nowhere.</summary>
    public const string Route = "/rightsize/route";
}
