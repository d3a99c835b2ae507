using Serilog.Events;

namespace RightSize.Gateway.Logging;

/// <summary>
/// The levels under <c>Serilog:MinimumLevel</c> (the section itself as a plain level, or its
/// <c>Default</c> and each <c>Override:{namespace}</c>), checked as Serilog reads them, so that a
/// value that is not a level stops start-up with the other configuration errors, and is rejected on
/// reload, instead of an unhandled exception when the logger is built.
/// </summary>
public static class SerilogLevels
{
    public const string SectionName = "Serilog:MinimumLevel";

    /// <summary>Adds an error for each value under <see cref="SectionName"/> that is not a Serilog level.</summary>
    public static void Check(IConfiguration configuration, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(errors);
        var section = configuration.GetSection(SectionName);
        CheckLevel(section, errors);
        CheckLevel(section.GetSection("Default"), errors);
        foreach (var over in section.GetSection("Override").GetChildren()) CheckLevel(over, errors);
    }

    // By name only: Enum.TryParse also takes any number, and "99" would silence every line.
    private static void CheckLevel(IConfigurationSection section, List<string> errors)
    {
        if (string.IsNullOrEmpty(section.Value) || Enum.GetNames<LogEventLevel>().Contains(section.Value.Trim(), StringComparer.OrdinalIgnoreCase)) return;
        errors.Add($"{section.Path} '{section.Value}' is not a log level; use Verbose, Debug, Information, Warning, Error or Fatal.");
    }
}
