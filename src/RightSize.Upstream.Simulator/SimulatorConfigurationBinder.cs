using Microsoft.Extensions.Configuration;

namespace RightSize.Upstream.Simulator;

/// <summary>
/// Binds the <c>Simulator</c> section as <see cref="ConfigurationBinder"/> does, one property at a
/// time, so a value that does not convert (<c>StreamChunks=abc</c>) is listed with the other
/// start-up errors instead of throwing from the binder and crashing the host.
/// </summary>
internal static class SimulatorConfigurationBinder
{
    /// <summary>Binds every property that converts; returns one message per value that does not.</summary>
    public static List<string> Bind(IConfiguration section, SimulatorOptions options)
    {
        var errors = new List<string>();
        foreach (var property in typeof(SimulatorOptions).GetProperties())
        {
            var child = section.GetSection(property.Name);
            if (!child.Exists())
            {
                continue;
            }

            if (!property.CanWrite)
            {
                child.Bind(property.GetValue(options));   // Models and Faults: collections filled in place
                continue;
            }

            try
            {
                if (child.Get(property.PropertyType) is { } value)
                {
                    property.SetValue(options, value);
                }
            }
            catch (InvalidOperationException)
            {
                errors.Add($"{child.Path} is '{child.Value}', which is not {Describe(property.PropertyType)}.");
            }
        }

        return errors;
    }

    private static string Describe(Type type)
        => type == typeof(int) ? "a whole number such as 8"
            : type == typeof(TimeSpan) ? "a duration such as 00:00:00.050"
            : type == typeof(Uri) ? "a URL such as http://127.0.0.1:0"
            : "a " + type.Name;
}
