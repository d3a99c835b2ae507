namespace RightSize.Server.Forwarding;

/// <summary>Whether the request is answered (well or not) or the next candidate should be tried.</summary>
internal enum AttemptResult
{
    Done,
    Failed,
}

/// <summary>The result of one send, with the upstream's <c>Retry-After</c> on a 429.</summary>
internal readonly record struct AttemptOutcome(AttemptResult Result, TimeSpan? RetryAfter);
