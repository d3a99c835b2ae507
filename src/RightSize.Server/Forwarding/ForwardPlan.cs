namespace RightSize.Server.Forwarding;

/// <summary>What the forwarder does with one request: the candidates in escalation order, the body, and the limits.</summary>
internal sealed class ForwardPlan
{
    /// <summary>Cheapest first; the first is the policy's decision, the rest are fallbacks.</summary>
    public required IReadOnlyList<ForwardCandidate> Candidates { get; init; }

    /// <summary>The path under the upstream base, such as <c>/chat/completions</c>.</summary>
    public required string ApiPath { get; init; }

    /// <summary>The client's body, as received.</summary>
    public required ArraySegment<byte> Body { get; init; }

    /// <summary>The client asked for a stream; each upstream is then asked for its usage chunk too (hidden again when the client did not ask for it).</summary>
    public required bool Stream { get; init; }

    public string? Route { get; init; }

    /// <summary>The policy's reason, used while no fallback happened.</summary>
    public required string Reason { get; init; }

    /// <summary>The <c>x-rightsize-confidence</c> value.</summary>
    public required string Confidence { get; init; }

    public required TimeSpan Deadline { get; init; }

    public TimeSpan RetryAfterLimit { get; init; }

    /// <summary>YARP's per-request settings, one instance per configuration snapshot.</summary>
    public required Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig RequestConfig { get; init; }
}
