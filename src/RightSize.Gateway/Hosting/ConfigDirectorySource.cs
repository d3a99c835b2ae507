using Microsoft.Extensions.Configuration;

namespace RightSize.Gateway.Hosting;

/// <summary>The operator's <c>appsettings.json</c> in a mounted directory, watched by <see cref="ConfigDirectoryWatcher"/>.</summary>
public sealed class ConfigDirectorySource(string filePath) : IConfigurationSource
{
    public string FilePath { get; } = filePath;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new ConfigDirectoryProvider(FilePath);
}
