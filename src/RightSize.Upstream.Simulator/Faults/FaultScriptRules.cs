using System.Globalization;

namespace RightSize.Upstream.Simulator.Faults;

/// <summary>
/// The ranges a fault script's steps must lie in: the parser reads text against them, and
/// <see cref="Check"/> holds a script built in code (an init-only record) to the same ones.
/// </summary>
internal static class FaultScriptRules
{
    public const int MinStatus = 400;
    public const int MaxStatus = 599;
    public const int MaxRetryAfterSeconds = 86_400;

    /// <summary>The longest <c>delay</c> or <c>drip</c>: <see cref="SimulatorConstants.MaxDelay"/>.</summary>
    public static readonly int MaxMilliseconds = (int)SimulatorConstants.MaxDelay.TotalMilliseconds;

    /// <summary>One message per property out of range, naming it; empty when the script is valid.</summary>
    public static List<string> Check(FaultScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var errors = new List<string>();
        if (script.Status is < MinStatus or > MaxStatus)
        {
            errors.Add(Describe($"Status is {script.Status}, not from {MinStatus} to {MaxStatus}."));
        }

        if (script.RetryAfterSeconds is < 0 or > MaxRetryAfterSeconds)
        {
            errors.Add(Describe($"RetryAfterSeconds is {script.RetryAfterSeconds}, not from 0 to {MaxRetryAfterSeconds}."));
        }
        else if (script.RetryAfterSeconds is not null && script.Status is null)
        {
            errors.Add("RetryAfterSeconds needs a Status to go with it.");
        }

        CheckPause(errors, nameof(FaultScript.Delay), script.Delay);
        if (script.Drip is { } drip)
        {
            CheckPause(errors, nameof(FaultScript.Drip), drip);
        }

        if (script.CutAfter is < 0)
        {
            errors.Add(Describe($"CutAfter is {script.CutAfter}; use 0 or more."));
        }

        if (script.Times is < 1)
        {
            errors.Add(Describe($"Times is {script.Times}; use 1 or more, or null for every request."));
        }

        return errors;
    }

    private static void CheckPause(List<string> errors, string name, TimeSpan pause)
    {
        if (pause < TimeSpan.Zero || pause > SimulatorConstants.MaxDelay)
        {
            errors.Add(Describe($"{name} is {pause}, not from 0 to 24 hours."));
        }
    }

    private static string Describe(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
