using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RightSize.Gateway.Hosting;
using RightSize.Server.Configuration;

namespace RightSize.Gateway.Tests.Hosting;

public sealed class ShutdownSetupTests
{
    [Fact]
    public void AddGatewayShutdown_NoSetting_ThirtySecondsAndTheDrainServiceLogsTheShutdown()
    {
        using var services = Build([]);

        Assert.Equal(TimeSpan.FromSeconds(30), services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Contains(services.GetServices<IHostedService>(), s => s.GetType().Name == "DrainService");
    }

    [Fact]
    public void AddGatewayShutdown_Configured_SetsHostShutdownTimeoutAndDrainDelay()
    {
        using var services = Build(new() { [HostingDefaults.ShutdownTimeoutKey] = "00:00:45", [HostingDefaults.DrainDelayKey] = "00:00:05" });

        Assert.Equal(TimeSpan.FromSeconds(45), services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Contains(services.GetServices<IHostedService>(), s => s.GetType().Name == "DrainService");
    }

    [Theory]
    [InlineData("30", null)]
    [InlineData("00:00:00", null)]
    [InlineData("00:00:10", "00:00:10")]
    [InlineData("00:00:10", "soon")]
    [InlineData("50.00:00:00", null)] // past what the cutoff's timer can count
    [InlineData("1.00:00:01", null)]
    public void AddGatewayShutdown_InvalidDurations_DefaultsInPlaceAndTheCheckNamesTheKey(string timeout, string? drain)
    {
        var settings = new Dictionary<string, string?> { [HostingDefaults.ShutdownTimeoutKey] = timeout, [HostingDefaults.DrainDelayKey] = drain };

        using var services = Build(settings);

        Assert.Equal(TimeSpan.FromSeconds(30), services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.Contains(services.GetServices<IHostedService>(), s => s.GetType().Name == "DrainService");
        Assert.Contains("RightSize:Gateway:", Assert.Single(KnownSettingChecks.Errors(services, settings)), StringComparison.Ordinal);
    }

    [Fact]
    public void AddGatewayShutdown_BothDurationsInvalid_TheCheckListsBothErrors()
    {
        var settings = new Dictionary<string, string?> { [HostingDefaults.ShutdownTimeoutKey] = "30", [HostingDefaults.DrainDelayKey] = "5s" };

        using var services = Build(settings);

        Assert.Collection(
            KnownSettingChecks.Errors(services, settings),
            f => Assert.StartsWith(HostingDefaults.ShutdownTimeoutKey, f, StringComparison.Ordinal),
            f => Assert.StartsWith(HostingDefaults.DrainDelayKey, f, StringComparison.Ordinal));
    }

    [Fact]
    public void AddGatewayShutdown_DrainDelayZeroAsABareNumber_Accepted()
    {
        // A bare number is days, so it needs a colon; zero is zero in any unit.
        var settings = new Dictionary<string, string?> { [HostingDefaults.ShutdownTimeoutKey] = "00:00:45", [HostingDefaults.DrainDelayKey] = "0" };

        using var services = Build(settings);

        Assert.Empty(KnownSettingChecks.Errors(services, settings));
        Assert.Contains(services.GetServices<IHostedService>(), s => s.GetType().Name == "DrainService");
    }

    [Fact]
    public void AddGatewayShutdown_ValidDurations_TheCheckFindsNothing()
    {
        var settings = new Dictionary<string, string?> { [HostingDefaults.ShutdownTimeoutKey] = "00:00:45", [HostingDefaults.DrainDelayKey] = "00:00:05" };

        using var services = Build(settings);

        Assert.Empty(KnownSettingChecks.Errors(services, settings));
        Assert.Equal(
            [HostingDefaults.ShutdownTimeoutKey, HostingDefaults.DrainDelayKey],
            services.GetServices<KnownSetting>().Select(k => k.Key));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddGatewayShutdown(configuration);
        return services.BuildServiceProvider();
    }
}
