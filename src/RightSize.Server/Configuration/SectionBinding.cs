using Microsoft.Extensions.Configuration;

namespace RightSize.Server.Configuration;

/// <summary>Binds a configuration section, turning a value that does not convert into an error naming its key.</summary>
internal static class SectionBinding
{
    /// <summary>Binds <paramref name="section"/> onto <paramref name="target"/>; false, with one error added, when a value does not convert.</summary>
    public static bool TryBind<T>(IConfigurationSection section, T target, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            section.Bind(target);
            return true;
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"{section.Path}: {ex.Message} Fix the value's type (numbers, booleans, or times such as 00:00:30).");
            return false;
        }
    }
}
