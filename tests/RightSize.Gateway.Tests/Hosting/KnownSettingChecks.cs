using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RightSize.Server.Configuration;

namespace RightSize.Gateway.Tests.Hosting;

/// <summary>Runs the registered settings' checks as the configuration store does at start-up and on reload.</summary>
internal static class KnownSettingChecks
{
    public static List<string> Errors(IServiceProvider services, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var errors = new List<string>();
        foreach (var setting in services.GetServices<KnownSetting>()) setting.Check?.Invoke(configuration, errors);
        return errors;
    }
}
