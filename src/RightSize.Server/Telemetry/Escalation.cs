using RightSize.Server.Observability;
using RightSize.Server.Policy;

namespace RightSize.Server.Telemetry;

/// <summary>
/// What counts as an escalation: a request the policy sent up because the classifier was unsure
/// (decision reason <c>low-confidence</c>, whatever followed), and every failed attempt after which the request moved on
/// to another tier (its failure, such as <c>upstream-503</c>, is the reason). A retry of the same
/// tier, after a 429's <c>Retry-After</c>, moves the request nowhere and is not one.
/// </summary>
internal static class Escalation
{
    public static bool IsLowConfidence(RequestRecord request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.DecisionReason, DecisionReasons.LowConfidence, StringComparison.Ordinal);
    }

    /// <summary>The failure of attempt <paramref name="index"/> when the request then moved on to another tier; null otherwise.</summary>
    internal static string? FailureOf(List<AttemptRecord> attempts, int index)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        if (index + 1 >= attempts.Count) return null;
        var attempt = attempts[index];
        return string.Equals(attempt.Tier, attempts[index + 1].Tier, StringComparison.Ordinal) ? null : attempt.Failure;
    }

    /// <summary>
    /// The reasons of the request's escalations: <c>low-confidence</c> first when the policy sent
    /// it up, then each failure after which it moved on to another tier. Allocation-free.
    /// </summary>
    public static EscalationEnumerator Reasons(RequestRecord request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new EscalationEnumerator(request);
    }
}
