using RightSize.Server.Observability;
using RightSize.Server.Policy;

namespace RightSize.Server.Telemetry;

/// <summary>
/// What counts as an escalation: a request the policy sent up because the classifier was unsure
/// (final reason <c>low-confidence</c>), and every failed attempt that was followed by another one
/// (its failure, such as <c>upstream-503</c>, is the reason).
/// </summary>
public static class Escalation
{
    public static bool IsLowConfidence(RequestRecord request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.Reason, DecisionReasons.LowConfidence, StringComparison.Ordinal);
    }

    /// <summary>The number of escalations of a request.</summary>
    public static int Count(RequestRecord request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var count = IsLowConfidence(request) ? 1 : 0;
        var attempts = request.Attempts;
        for (var i = 0; i < attempts.Count - 1; i++)
        {
            if (attempts[i].Failure is not null) count++;
        }

        return count;
    }
}
