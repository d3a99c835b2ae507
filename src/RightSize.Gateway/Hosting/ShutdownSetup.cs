using System.Globalization;

namespace RightSize.Gateway.Hosting;

/// <summary>
/// Graceful shutdown. On SIGTERM the host raises ApplicationStopping (readiness turns to
/// <c>draining</c>), waits <c>RightSize:Gateway:DrainDelay</c> while still serving, then closes the
/// listener and lets in-flight requests and streams finish until <c>RightSize:Gateway:ShutdownTimeout</c>
/// (default 30 s) has passed since the signal. Kubernetes' <c>terminationGracePeriodSeconds</c> must
/// cover the preStop sleep plus that timeout.
/// </summary>
public static class ShutdownSetup
{
    public static IServiceCollection AddGatewayShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var timeout = ReadDuration(configuration, HostingDefaults.ShutdownTimeoutKey, HostingDefaults.ShutdownTimeout);
        var drainDelay = ReadDuration(configuration, HostingDefaults.DrainDelayKey, HostingDefaults.DrainDelay);
        if (timeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{HostingDefaults.ShutdownTimeoutKey} must be positive (for example 00:00:30); it is '{configuration[HostingDefaults.ShutdownTimeoutKey]}'.");
        }

        if (drainDelay < TimeSpan.Zero || drainDelay >= timeout)
        {
            throw new InvalidOperationException($"{HostingDefaults.DrainDelayKey} must be at least zero and shorter than {HostingDefaults.ShutdownTimeoutKey} ({timeout}); it is '{drainDelay}'.");
        }

        services.Configure<HostOptions>(options => options.ShutdownTimeout = timeout);
        if (drainDelay > TimeSpan.Zero)
        {
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<DrainDelayService>(sp, drainDelay));
        }

        return services;
    }

    private static TimeSpan ReadDuration(IConfiguration configuration, string key, TimeSpan fallback)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && text.Contains(':', StringComparison.Ordinal)) return value;
        throw new InvalidOperationException($"{key} must be a duration such as 00:00:30 (hh:mm:ss); it is '{text}'.");
    }
}
