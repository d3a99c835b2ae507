namespace RightSize.Server.Telemetry;

/// <summary>
/// The names of the gateway's meter, activity source and instruments. GenAI semantic-convention
/// names where they exist (<c>gen_ai.*</c>), <c>rightsize.*</c> otherwise. Every name is listed in
/// <c>docs/telemetry.md</c>.
/// </summary>
internal static class TelemetryNames
{
    /// <summary>The one <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string MeterName = "RightSize.Gateway";

    public const string ActivitySourceName = MeterName;

    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string OperationDuration = "gen_ai.client.operation.duration";
    public const string TimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";

    public const string Decisions = "rightsize.decisions";
    public const string Escalations = "rightsize.escalations";
    public const string Attempts = "rightsize.attempts";
    public const string ClassifierDuration = "rightsize.classifier.duration";
    public const string Cost = "rightsize.cost";
    public const string FrontierEquivalentCost = "rightsize.frontier_equivalent_cost";
    public const string Savings = "rightsize.savings";
    public const string UsageMissing = "rightsize.usage.missing";
    public const string ConfigGeneration = "rightsize.config.generation";
    public const string ConfigRejected = "rightsize.config.rejected";
    public const string Uptime = "rightsize.uptime";
    public const string BudgetUsed = "rightsize.budget.used";

    /// <summary>The name of an attempt span before its display name (<c>{operation} {model}</c>) is set.</summary>
    public const string AttemptSpan = "rightsize.attempt";
}
