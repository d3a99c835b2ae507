namespace RightSize.Server.Forwarding;

/// <summary>The result of one send, with the upstream's <c>Retry-After</c> on a 429.</summary>
internal readonly record struct AttemptOutcome(AttemptResult Result, TimeSpan? RetryAfter);
