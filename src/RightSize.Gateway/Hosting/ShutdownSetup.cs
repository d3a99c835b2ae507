using System.Globalization;
using RightSize.Server.Configuration;

namespace RightSize.Gateway.Hosting;

/// <summary>
/// Graceful shutdown. On SIGTERM the host raises ApplicationStopping (readiness turns to
/// <c>draining</c>), waits <c>RightSize:Gateway:DrainDelay</c> while still serving, then closes the
/// listener and lets in-flight requests and streams finish until <c>RightSize:Gateway:ShutdownTimeout</c>
/// (default 30 s) has passed since the signal; <see cref="DrainService"/> logs the start (event 140). Kubernetes' <c>terminationGracePeriodSeconds</c> must
/// cover the preStop sleep plus that timeout.
/// </summary>
public static class ShutdownSetup
{
    /// <remarks>
    /// A duration that is not valid leaves the default in place here; its error is reported by the
    /// setting's <see cref="KnownSetting.Check"/>, which the configuration store runs at start-up
    /// (listing it beside every other error, so the gateway does not start) and on every reload
    /// (rejecting a value the next start would refuse).
    /// </remarks>
    public static IServiceCollection AddGatewayShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(new KnownSetting(HostingDefaults.ShutdownTimeoutKey, typeof(TimeSpan)) { Check = (c, errors) => Read(c, errors) });
        services.AddSingleton(new KnownSetting(HostingDefaults.DrainDelayKey, typeof(TimeSpan)));
        var (timeout, drainDelay) = Read(configuration, []);
        services.Configure<HostOptions>(options => options.ShutdownTimeout = timeout);
        // Whatever the delay: the drain service also logs the shutdown's start (event 140).
        services.AddSingleton<IHostedService>(sp => new DrainService(drainDelay, timeout, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DrainService>>()));

        return services;
    }

    /// <summary>Both durations, adding an error for each one that is not valid; the defaults when either is not.</summary>
    internal static (TimeSpan Timeout, TimeSpan DrainDelay) Read(IConfiguration configuration, List<string> errors)
    {
        var before = errors.Count;
        var timeout = ReadDuration(configuration, HostingDefaults.ShutdownTimeoutKey, HostingDefaults.ShutdownTimeout, errors);
        var drainDelay = ReadDuration(configuration, HostingDefaults.DrainDelayKey, HostingDefaults.DrainDelay, errors);
        // A setting that did not parse is null here, and comparisons with null are false.
        // At most a day, as every other duration: the cutoff's timer cannot count past about 49
        // days, and a longer timeout would crash the gateway on SIGTERM.
        if (timeout is { } given && !ResilienceDefaults.IsPositiveDuration(given))
        {
            errors.Add($"{HostingDefaults.ShutdownTimeoutKey} must be positive and at most {ResilienceDefaults.LongestDuration:c} (for example 00:00:30); it is '{configuration[HostingDefaults.ShutdownTimeoutKey]}'.");
        }
        else if (drainDelay < TimeSpan.Zero || drainDelay >= timeout)
        {
            errors.Add($"{HostingDefaults.DrainDelayKey} must be at least zero and shorter than {HostingDefaults.ShutdownTimeoutKey} ({timeout}); it is '{drainDelay}'.");
        }

        return errors.Count > before ? (HostingDefaults.ShutdownTimeout, HostingDefaults.DrainDelay) : (timeout!.Value, drainDelay!.Value);
    }

    private static TimeSpan? ReadDuration(IConfiguration configuration, string key, TimeSpan fallback, List<string> errors)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && !DurationText.IsBareDays(text)) return value;
        errors.Add($"{key} must be a duration such as 00:00:30 (hh:mm:ss); it is '{text}'.");
        return null;
    }
}
