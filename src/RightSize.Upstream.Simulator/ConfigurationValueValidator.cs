using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RightSize.Upstream.Simulator;

/// <summary>
/// Reports the values in configuration that do not convert to their option's type; binding skips
/// them (<see cref="SimulatorConfigurationBinder"/>), so they are found again here from the raw text.
/// </summary>
internal sealed class ConfigurationValueValidator(IConfiguration section) : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var errors = SimulatorConfigurationBinder.Bind(section, new SimulatorOptions());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
