using RightSize.OpenAI.Usage;
using RightSize.Server.Model;

namespace RightSize.Server.Observability;

/// <summary>One try of one upstream for one request.</summary>
internal sealed class AttemptRecord
{
    /// <summary>The <see cref="Tier"/> of an attempt outside the tiers: a passthrough model or a route's embeddings.</summary>
    public const string PassthroughTier = "passthrough";

    public required int Index { get; init; }

    /// <summary>The tier tried (<c>small</c>, <c>mid</c>, <c>frontier</c>), or <see cref="PassthroughTier"/>.</summary>
    public required string Tier { get; init; }

    public required string Upstream { get; init; }

    public required string Model { get; init; }

    /// <summary>Upstream status code, when a response arrived.</summary>
    public int? StatusCode { get; set; }

    /// <summary>
    /// Null for a success; otherwise the failure, as used in <c>x-rightsize-reason</c> after
    /// <c>fallback:</c>: one of <see cref="Forwarding.AttemptFailures"/>.
    /// An upstream's 4xx passed on to the client is none (the request stayed), though its
    /// <c>error.type</c> is <c>upstream-&lt;status&gt;</c>: see <c>AttemptFailures.ErrorTypeOf</c>.
    /// </summary>
    public string? Failure { get; set; }

    /// <summary>
    /// The upstream's own id for the call, from its <c>x-request-id</c> (OpenAI's <c>req_…</c>, which
    /// the SDKs show as the request id), so a client's complaint or a provider's support ticket can be
    /// matched to the gateway's log; at most 64 visible ASCII characters, else null.
    /// </summary>
    public string? UpstreamRequestId { get; set; }

    /// <summary>The upstream's <c>Retry-After</c> on a held-back 429 or 5xx, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Whether the gateway waited out <see cref="RetryAfter"/> before trying this upstream again.</summary>
    public bool RetryAfterWaited { get; set; }

    /// <summary>The upstream's <c>x-should-retry</c> on a held-back answer, when it sent one.</summary>
    public bool? ShouldRetry { get; set; }

    /// <summary>From the attempt's start to its outcome (for a stream passed on, its end), as log event 200 gives it.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>
    /// The usage a failed attempt's answer reported before it failed (a body cut after its usage,
    /// say), which the upstream billed, and the prices of the tier it was tried on; null when it
    /// reported none, and for the attempt that served, whose usage is the request's.
    /// </summary>
    public (TokenUsage Usage, TierPrices? Prices)? BilledBeforeFailing { get; set; }
}
