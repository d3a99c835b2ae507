namespace RightSize.Upstream.Simulator.Journal;

/// <summary>How a recorded request ended.</summary>
public enum RequestOutcome
{
    /// <summary>The simulator is still answering.</summary>
    Pending,

    /// <summary>The answer (normal or a scripted error status) was sent in full.</summary>
    Completed,

    /// <summary>The client (the gateway) disconnected or cancelled before the answer was complete.</summary>
    ClientAborted,

    /// <summary>
    /// A scripted fault (<c>reset</c>, <c>cut-after</c>) made the simulator abort the connection, or the
    /// simulator failed unexpectedly while answering.
    /// </summary>
    ServerAborted,
}
