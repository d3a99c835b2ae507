namespace RightSize.Server.Forwarding;

/// <summary>The result of one send, with the upstream's <c>Retry-After</c> on a 429.</summary>
/// <param name="Detail">What the failure log line says of it, when no exception does (<see cref="Yarp.ReverseProxy.Forwarder.IForwarderErrorFeature"/>).</param>
internal readonly record struct AttemptOutcome(AttemptResult Result, TimeSpan? RetryAfter, string? Detail = null);
