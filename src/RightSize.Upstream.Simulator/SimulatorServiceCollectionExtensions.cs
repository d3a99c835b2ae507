using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RightSize.Upstream.Simulator;

/// <summary>Registers a simulator whose options come from configuration.</summary>
public static class SimulatorServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SimulatorOptions"/> to <paramref name="section"/> (usually <c>Simulator</c>),
    /// validates them at start-up, and registers one <see cref="SimulatorService"/>.
    /// </summary>
    public static IServiceCollection AddUpstreamSimulator(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        services.AddOptions<SimulatorOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SimulatorService(
            sp.GetRequiredService<IOptions<SimulatorOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }
}
