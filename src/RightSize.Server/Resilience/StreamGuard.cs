namespace RightSize.Server.Resilience;

/// <summary>
/// One attempt's watch over its upstream response: carries the request's deadline down to the
/// outbound handler, and records how an event stream failed once it had started.
/// </summary>
public sealed class StreamGuard(CancellationToken deadline)
{
    public static readonly HttpRequestOptionsKey<StreamGuard> OptionsKey = new("RightSize.StreamGuard");

    public CancellationToken Deadline { get; } = deadline;

    /// <summary>How the upstream event stream failed after its headers (<c>response-cut</c>, <c>deadline</c>), or null.</summary>
    public string? Failure { get; set; }
}
