using Microsoft.Extensions.Options;
using RightSize.Gateway.Hosting;

namespace RightSize.Gateway;

/// <summary>
/// Adds the operator's configuration directory (a mounted ConfigMap in Kubernetes):
/// <c>appsettings.json</c> from <c>--config-dir</c> or <c>RIGHTSIZE_CONFIG_DIR</c>. The file is
/// read through symlinks and polled every second by <see cref="ConfigDirectoryWatcher"/>, so the
/// ConfigMap's <c>..data</c> symlink swap is seen; a malformed new file is rejected and logged, and
/// the previous contents stay in force. Environment variables and the command line still win over it.
/// </summary>
public static class GatewayConfiguration
{
    public const string ConfigDirEnvironmentVariable = "RIGHTSIZE_CONFIG_DIR";
    public const string ConfigDirArgument = "--config-dir";

    public static void AddConfigDirectory(ConfigurationManager configuration, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        var directory = FindArgument(args) ?? Environment.GetEnvironmentVariable(ConfigDirEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(directory)) return;

        var fullPath = Path.GetFullPath(directory);
        if (!Directory.Exists(fullPath))
        {
            // A typo here would otherwise surface only as "no route is configured".
            throw new OptionsValidationException(ConfigDirArgument, typeof(string), [$"The configuration directory '{fullPath}' (from {ConfigDirArgument} or {ConfigDirEnvironmentVariable}) does not exist."]);
        }

        var file = Path.Combine(fullPath, HostingDefaults.ConfigFileName);

        // The content root's appsettings.json when the directory is the content root: one file
        // read twice would reload twice for one edit. It is read once, here, where the directory's
        // file goes (above environment-specific files, below the environment and the command line).
        ContentRootJsonFiles.Remove(configuration, file);
        try
        {
            // ConfigurationManager loads a source as it is added: a malformed or unreadable file throws here.
            ((IConfigurationBuilder)configuration).Add(new ConfigDirectorySource(file));
        }
        catch (InvalidDataException ex)
        {
            throw new OptionsValidationException(ConfigDirArgument, typeof(string), [ex.Message]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(ConfigDirArgument, typeof(string), [$"The configuration file '{file}' cannot be read: {ex.Message}"]);
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
    }

    /// <summary>
    /// When the configuration directory given exists but holds no <c>appsettings.json</c> (a
    /// ConfigMap made from a file of another name, a container started without its mount), a line
    /// saying so and naming the JSON files it does hold; otherwise null. The file is optional, as
    /// everything may come from the environment, so its absence is no error by itself; but a start
    /// that fails for missing settings should say where they were looked for.
    /// </summary>
    public static string? MissingFileNote(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var directory = FindArgument(args) ?? Environment.GetEnvironmentVariable(ConfigDirEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(directory)) return null;
        var fullPath = Path.GetFullPath(directory);
        if (!Directory.Exists(fullPath) || Path.Exists(Path.Combine(fullPath, HostingDefaults.ConfigFileName))) return null;

        string[] others;
        try
        {
            others = [.. Directory.EnumerateFiles(fullPath, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(5)!];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            others = [];
        }

        var holds = others.Length == 0 ? "no JSON file" : string.Join(", ", others);
        return $"note: the configuration directory '{fullPath}' (from {ConfigDirArgument} or {ConfigDirEnvironmentVariable}) holds no {HostingDefaults.ConfigFileName}, so nothing was read from it; it holds {holds}.";
    }

    private static string? FindArgument(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            // In any case, as CommandLine.Check and the host's own options take it: --Config-Dir passes
            // the check, and ignored here it would make --check-config read another directory.
            if (string.Equals(args[i], ConfigDirArgument, StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length) return args[i + 1];
            if (args[i].StartsWith(ConfigDirArgument + "=", StringComparison.OrdinalIgnoreCase)) return args[i][(ConfigDirArgument.Length + 1)..];
        }

        return null;
    }
}
