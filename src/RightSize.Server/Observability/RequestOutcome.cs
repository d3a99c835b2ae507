namespace RightSize.Server.Observability;

/// <summary>What a finished request came to, read from its record: which tier and model answered, and whether its cost is unknown.</summary>
internal static class RequestOutcome
{
    /// <summary>
    /// Whether a request's cost is unknown: some attempt may have been charged for (it was sent and
    /// the upstream answered 2xx, or did not answer at all: a timeout, a cut connection, a stream cut
    /// after its first byte) and no usage came back. A request the gateway refused cost nothing, and
    /// so did every attempt that no upstream received (an open circuit, a refused connection, a
    /// failed TLS handshake) or that an upstream answered with an error status, held back (429,
    /// 5xx, 401/403, 3xx, a model's-limit 400) or passed on to the client (400, 404, ...): an error answer generated no
    /// tokens to bill. Counting them would raise "usage unknown" at every outage.
    /// </summary>
    public static bool UsageUnknown(RequestRecord request)
    {
        if (request.Usage is not null) return false;
        foreach (var attempt in request.Attempts)
        {
            if (MayHaveBeenCharged(attempt)) return true;
        }

        return false;
    }

    private static bool MayHaveBeenCharged(AttemptRecord attempt) =>
        attempt.Failure is not (Forwarding.AttemptFailures.CircuitOpen or Forwarding.AttemptFailures.ConnectRefused or Forwarding.AttemptFailures.TlsError)
        && attempt.StatusCode is null or (>= 200 and < 300);

    /// <summary>
    /// The <see cref="RequestRecord.Tier"/> of a finished request: the tier whose answer reached the client (the
    /// last attempt succeeded, or its stream broke after the first byte). Null when no tier
    /// answered: every attempt failed and the gateway answered with its own error, or the client
    /// left before an answer (and for pass-through and embeddings, which no tier serves).
    /// </summary>
    public static string? ServedTierOf(RequestRecord request) => Answered(request) ? request.Tier : null;

    /// <summary>
    /// The concrete model whose answer reached the client (pass-through and embeddings included);
    /// null when none did, so that an outage is not counted against the last model tried.
    /// </summary>
    public static string? ServedModelOf(RequestRecord request) => Answered(request) ? request.Model : null;

    /// <summary>Whether an upstream's answer reached the client: the last attempt succeeded, or its stream broke after the first byte.</summary>
    private static bool Answered(RequestRecord request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Attempts is [.., var last] && (last.Failure is null || request.TimeToFirstChunk is not null);
    }
}
