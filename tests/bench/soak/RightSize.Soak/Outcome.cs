namespace RightSize.Soak;

/// <summary>How a streamed answer ended, as the client saw it.</summary>
internal enum StreamEnd
{
    NotStream,
    Done,
    ErrorEvent,
    CutWithoutError,
    ClientCancelled,
}

/// <summary>What one request of the soak saw.</summary>
internal sealed record Outcome(string Scenario, int Status)
{
    /// <summary>The request carried a fault for the upstream (an x-simulator-fault header).</summary>
    public bool Faulted { get; init; }

    /// <summary>The gateway records this request in its stats (it passed the body checks and is a proxied operation).</summary>
    public bool Recorded { get; init; }

    /// <summary>The route the stats file it under.</summary>
    public string? Route { get; init; }

    /// <summary>The <c>x-rightsize-tier</c> response header, if any.</summary>
    public string? Tier { get; init; }

    /// <summary>The <c>x-rightsize-reason</c> response header, if any.</summary>
    public string? Reason { get; init; }

    public StreamEnd End { get; init; } = StreamEnd.NotStream;

    /// <summary>A contract violation seen on this request, or null.</summary>
    public string? Problem { get; init; }

    /// <summary>The gateway should count this request as an error (status 4xx/5xx, a stream cut or a client abort).</summary>
    public bool CountsAsError => Status >= 400 || End is StreamEnd.ErrorEvent or StreamEnd.CutWithoutError or StreamEnd.ClientCancelled;
}
