using System.Globalization;

namespace RightSize.Upstream.Simulator.Faults;

internal static class FaultScriptParser
{
    public static bool TryParse(string? text, out FaultScript? script, out string? error)
    {
        script = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the fault script is empty; use steps such as status=503 or delay=1500.";
            return false;
        }

        var result = new FaultScript();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rawStep in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = rawStep.IndexOf('=', StringComparison.Ordinal);
            var key = (equals < 0 ? rawStep : rawStep[..equals]).Trim().ToLowerInvariant();
            var value = equals < 0 ? null : rawStep[(equals + 1)..].Trim();
            if (!seen.Add(key))
            {
                errors.Add($"'{key}' appears more than once.");
                continue;
            }

            result = Apply(result, key, value, errors);
        }

        if (seen.Count == 0)
        {
            errors.Add("the fault script has no steps.");
        }

        if (result.RetryAfterSeconds is not null && result.Status is null)
        {
            errors.Add("'retry-after' needs a 'status' step to go with it.");
        }

        if (errors.Count > 0)
        {
            error = $"invalid fault script '{text}': " + string.Join(" ", errors);
            return false;
        }

        script = result;
        error = null;
        return true;
    }

    private static FaultScript Apply(FaultScript script, string key, string? value, List<string> errors)
    {
        switch (key)
        {
            case "none" when value is null:
                return script;
            case "reset" when value is null:
                return script with { Reset = true };
            case "status":
                return Integer(key, value, FaultScriptRules.MinStatus, FaultScriptRules.MaxStatus, errors) is { } status ? script with { Status = status } : script;
            case "retry-after":
                return Integer(key, value, 0, FaultScriptRules.MaxRetryAfterSeconds, errors) is { } seconds ? script with { RetryAfterSeconds = seconds } : script;
            case "delay":
                return Integer(key, value, 0, FaultScriptRules.MaxMilliseconds, errors) is { } delay
                    ? script with { Delay = TimeSpan.FromMilliseconds(delay) }
                    : script;
            case "cut-after":
                return Integer(key, value, 0, int.MaxValue, errors) is { } cut ? script with { CutAfter = cut } : script;
            case "drip":
                return Integer(key, value, 0, FaultScriptRules.MaxMilliseconds, errors) is { } drip
                    ? script with { Drip = TimeSpan.FromMilliseconds(drip) }
                    : script;
            case "times":
                return Integer(key, value, 1, int.MaxValue, errors) is { } times ? script with { Times = times } : script;
            case "none" or "reset":
                errors.Add($"'{key}' takes no value.");
                return script;
            default:
                errors.Add($"'{key}' is not a fault step (use status, retry-after, delay, reset, cut-after, drip, times).");
                return script;
        }
    }

    private static int? Integer(string key, string? value, int min, int max, List<string> errors)
    {
        if (value is null)
        {
            errors.Add($"'{key}' needs a value, as in {key}={Math.Max(min, 1)}.");
            return null;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            errors.Add($"'{key}={value}' is not a whole number from {min} to {max}.");
            return null;
        }

        return number;
    }
}
