namespace RightSize.Server.Configuration;

/// <summary>Default values of the resilience options, in one place.</summary>
internal static class ResilienceDefaults
{
    public const double FailureRatio = 0.5;
    public const int MinimumThroughput = 5;
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time allowed from sending a request to receiving the upstream's response headers. A
    /// non-streaming answer arrives whole, so this bounds its generation: a reasoning model can
    /// take minutes, and a shorter limit would cut it and generate it again on a dearer tier.
    /// Half the deadline, so that a hung upstream still leaves time for the next tier.
    /// </summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Longest a request may take in total, all attempts and the whole stream included: the
    /// OpenAI Python and Node SDKs' own default timeout, so the gateway does not give up first.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    /// <summary>The longest <c>Retry-After</c> the gateway waits for before its one retry of the last candidate.</summary>
    public static readonly TimeSpan RetryAfterLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest any timeout, deadline or wait may be set to: Polly's timeout and circuit
    /// breaker refuse more, and .NET timers cannot count much further (about 49 days).
    /// </summary>
    public static readonly TimeSpan LongestDuration = TimeSpan.FromDays(1);

    /// <summary>Whether <paramref name="duration"/> is above zero and at most <see cref="LongestDuration"/>.</summary>
    public static bool IsPositiveDuration(TimeSpan duration) => duration > TimeSpan.Zero && duration <= LongestDuration;

    /// <summary>
    /// The shortest a request's timeout or deadline may be: Polly's own floor for a timeout. Less
    /// (a slip such as <c>00:00:00.0000001</c>) would make every request time out, so it is refused.
    /// </summary>
    public static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>The range of a request's timeouts and deadlines, as the error messages give it.</summary>
    public static readonly string TimeoutRange = FormattableString.Invariant($"between {ShortestTimeout:hh\\:mm\\:ss\\.fff} and {LongestDuration:c}");

    /// <summary>Whether <paramref name="duration"/> is from <see cref="ShortestTimeout"/> to <see cref="LongestDuration"/>.</summary>
    public static bool IsTimeout(TimeSpan duration) => duration >= ShortestTimeout && duration <= LongestDuration;
}
