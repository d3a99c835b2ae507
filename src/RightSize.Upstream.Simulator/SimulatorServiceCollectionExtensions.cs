using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RightSize.Upstream.Simulator.Faults;

namespace RightSize.Upstream.Simulator;

/// <summary>Registers a simulator whose options come from configuration.</summary>
public static class SimulatorServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SimulatorOptions"/> to <paramref name="section"/> (usually <c>Simulator</c>),
    /// validates them at start-up (every error at once, values that do not convert and fault scripts
    /// included), and registers one <see cref="SimulatorService"/>.
    /// </summary>
    public static IServiceCollection AddUpstreamSimulator(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<SimulatorOptions>().Configure(options => SimulatorConfigurationBinder.Bind(section, options)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        services.AddSingleton<IValidateOptions<SimulatorOptions>>(new ConfigurationValueValidator(section));
        services.AddSingleton<IValidateOptions<SimulatorOptions>>(new FaultConfigurationValidator(section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SimulatorService(
            sp.GetRequiredService<IOptions<SimulatorOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }
}
