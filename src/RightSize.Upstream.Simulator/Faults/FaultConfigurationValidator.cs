using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RightSize.Upstream.Simulator.Faults;

/// <summary>
/// Reports fault scripts in configuration that do not parse. The configuration binder drops a
/// dictionary entry it cannot convert without a word, so the raw text is checked here instead.
/// </summary>
internal sealed class FaultConfigurationValidator(IConfiguration section) : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var errors = new List<string>();
        foreach (var fault in section.GetSection(nameof(SimulatorOptions.Faults)).GetChildren())
        {
            if (fault.Value is { } text && !FaultScript.TryParse(text, out _, out var error))
            {
                errors.Add($"{fault.Path}: {error}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
