using Microsoft.Extensions.Options;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.Upstream.Simulator;

/// <summary>Checks <see cref="SimulatorOptions"/> and reports every problem at once.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = SimulatorConstants.SectionName + ":";

        if (options.Url is null || !options.Url.IsAbsoluteUri)
        {
            errors.Add($"{Prefix}Url must be an absolute http URL such as http://127.0.0.1:0.");
        }

        if (options.StreamChunks is < 1 or > 10_000)
        {
            errors.Add($"{Prefix}StreamChunks is {options.StreamChunks}; use a value from 1 to 10000.");
        }

        CheckDelay(errors, Prefix + nameof(SimulatorOptions.ChunkDelay), options.ChunkDelay, "00:00:00.050");
        CheckDelay(errors, Prefix + nameof(SimulatorOptions.ResponseDelay), options.ResponseDelay, "00:00:00.200");

        if (options.MaxRecordedRequests < 0)
        {
            errors.Add($"{Prefix}MaxRecordedRequests is negative; use 0 to keep no requests.");
        }

        for (var i = 0; i < options.Models.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.Models[i]))
            {
                errors.Add($"{Prefix}Models:{i} is empty; give each served model a name.");
            }
        }

        foreach (var (model, script) in options.Faults)
        {
            if (script is null)
            {
                errors.Add($"{Prefix}Faults:{model} is empty; remove it or give a script such as status=503.");
            }
            else if (options.Models.Count > 0 && !options.Models.Contains(model))
            {
                errors.Add($"{Prefix}Faults:{model} names a model that is not in {Prefix}Models.");
            }

            if (script is not null && FaultScriptRules.Check(script) is { Count: > 0 } problems)
            {
                errors.Add($"{Prefix}Faults:{model}: {string.Join(" ", problems)}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckDelay(List<string> errors, string key, TimeSpan delay, string example)
    {
        if (delay < TimeSpan.Zero)
        {
            errors.Add($"{key} is negative; use a duration such as {example}.");
        }
        else if (delay > SimulatorConstants.MaxDelay)
        {
            errors.Add($"{key} is {delay}, longer than the 24-hour limit; use a duration such as {example} (a bare number means days).");
        }
    }
}
