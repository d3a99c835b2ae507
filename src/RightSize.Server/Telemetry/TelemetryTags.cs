using RightSize.Server.Endpoints;
using RightSize.Server.Observability;

namespace RightSize.Server.Telemetry;

/// <summary>Tag (attribute) names and the fixed values some of them take.</summary>
internal static class TelemetryTags
{
    // GenAI and general semantic conventions.
    public const string OperationName = "gen_ai.operation.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string ProviderName = "gen_ai.provider.name";
    public const string TokenType = "gen_ai.token.type";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string ErrorType = "error.type";
    public const string HttpStatusCode = "http.response.status_code";

    // RightSize's own.
    public const string Route = "rightsize.route";
    public const string Tier = "rightsize.tier";
    public const string DecidedTier = "rightsize.decided_tier";
    public const string Reason = "rightsize.reason";
    public const string Upstream = "rightsize.upstream";
    public const string Attempt = "rightsize.attempt";
    public const string UpstreamRequestId = "rightsize.upstream.request_id";
    public const string Confidence = "rightsize.confidence";
    public const string ProbabilitySmall = "rightsize.probability.small";
    public const string ProbabilityMid = "rightsize.probability.mid";
    public const string ClassifierMicroseconds = "rightsize.classifier.duration_us";
    public const string RequestId = "rightsize.request_id";
    public const string CachedInputTokens = "rightsize.usage.cached_input_tokens";
    public const string ReasoningTokens = "rightsize.usage.reasoning_tokens";
    public const string UsageMissing = "rightsize.usage.missing";
    public const string Cost = "rightsize.cost";
    public const string FrontierEquivalentCost = "rightsize.frontier_equivalent_cost";
    public const string Savings = "rightsize.savings";
    public const string Currency = "rightsize.currency";
    public const string StreamFailed = "rightsize.stream_failed";
    public const string ClientAborted = "rightsize.client_aborted";

    /// <summary>Which memory budget a <c>rightsize.budget.used</c> series reads: <see cref="BudgetRequestBodies"/> or <see cref="BudgetHeldAnswers"/>.</summary>
    public const string Budget = "rightsize.budget";
    public const string BudgetRequestBodies = "request_bodies";
    public const string BudgetHeldAnswers = "held_answers";

    // Values.
    public const string TokenTypeInput = "input";
    public const string TokenTypeOutput = "output";

    /// <summary>
    /// The <see cref="RequestModel"/> or <see cref="ResponseModel"/> metric value of a model the
    /// configuration does not name: clients must not be able to add metric series by inventing names.
    /// </summary>
    public const string OtherModel = "_OTHER";

    /// <summary>Every upstream speaks the OpenAI API; which one served is in <see cref="Upstream"/>.</summary>
    public const string ProviderOpenAI = "openai";

    /// <summary>
    /// <see cref="ErrorType"/> of a request whose stream failed after its first byte (on the request
    /// span too, with status Error): what the client got, a cut answer. The attempt that served it
    /// says how the upstream failed (<c>response-cut</c>, <c>timeout</c>, <c>deadline</c>, ...).
    /// </summary>
    public const string ErrorStreamCut = "stream-cut";

    /// <summary><see cref="ErrorType"/> of a request the client abandoned.</summary>
    public const string ErrorClientAbort = Forwarding.AttemptFailures.ClientAbort;

    /// <summary>Whether an operation has output tokens to report: embeddings have none, and report no made-up zero.</summary>
    public static bool HasOutputTokens(string operation) =>
        !string.Equals(operation, OpenAIPaths.OperationName(OpenAIOperation.Embeddings), StringComparison.Ordinal);

    /// <summary>
    /// The <see cref="ErrorType"/> of a finished request, null when it succeeded: a client that
    /// left or a stream cut after its first byte count as errors even though the status sent was 200.
    /// </summary>
    public static string? ErrorTypeOf(RequestRecord request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ClientAborted ? ErrorClientAbort
            : request.StreamFailed ? ErrorStreamCut
            : ErrorTypeOf(request.StatusCode);
    }

    /// <summary>
    /// The <c>error.type</c> of a status code: its digits for the common ones, else <c>4xx</c> or
    /// <c>5xx</c> (so the metric's series stay few); null under 400. Cached strings, no allocation.
    /// </summary>
    public static string? ErrorTypeOf(int statusCode) => statusCode switch
    {
        < 400 => null,
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        408 => "408",
        409 => "409",
        413 => "413",
        422 => "422",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        < 500 => "4xx",
        _ => "5xx",
    };
}
