using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace RightSize.Gateway.Hosting;

/// <summary>
/// Puts the host's reloadable JSON files (<c>appsettings.json</c> and <c>appsettings.{Environment}.json</c>
/// in the content root) under <see cref="ConfigDirectoryProvider"/>, as the configuration directory
/// is. The framework's JSON provider empties its keys when a reload finds the file malformed or
/// gone, logs nothing, and raises a reload for every file-system event (two for one save); this one
/// keeps the last contents that parsed, logs a rejected file, and reloads once per change of bytes.
/// </summary>
internal static class ContentRootJsonFiles
{
    public static void KeepLastGood(IConfigurationBuilder configuration)
    {
        var sources = configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { ReloadOnChange: true, FileProvider: PhysicalFileProvider files, Path: { Length: > 0 } path })
            {
                sources[i] = new ConfigDirectorySource(Path.Combine(files.Root, path));
            }
        }
    }
}
