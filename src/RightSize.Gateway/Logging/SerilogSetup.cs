using Serilog;
using Serilog.Formatting.Compact;

namespace RightSize.Gateway.Logging;

/// <summary>
/// Serilog for the host: structured JSON lines on stdout by default (<c>RightSize:Logging:Console</c>
/// = <c>json</c>), or readable text (<c>text</c>, used by the demo). Levels come from the
/// <c>Serilog</c> configuration section.
/// </summary>
public static class SerilogSetup
{
    public static IServiceCollection AddRightSizeSerilog(this IServiceCollection services, IConfiguration configuration)
    {
        var text = string.Equals(configuration["RightSize:Logging:Console"], "text", StringComparison.OrdinalIgnoreCase);
        return services.AddSerilog((_, logger) =>
        {
            logger.ReadFrom.Configuration(configuration).Enrich.FromLogContext();
            if (text)
            {
                logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        });
    }
}
