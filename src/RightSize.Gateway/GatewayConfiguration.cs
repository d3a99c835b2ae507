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

    private static string? FindArgument(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            // In any case, as CommandLine.Check and the host's own options take it: until 2026-12-02
            // --Config-Dir passed the check and was then ignored, so --check-config read another directory.
            if (string.Equals(args[i], ConfigDirArgument, StringComparison.OrdinalIgnoreCase) && i + 1 < args.Length) return args[i + 1];
            if (args[i].StartsWith(ConfigDirArgument + "=", StringComparison.OrdinalIgnoreCase)) return args[i][(ConfigDirArgument.Length + 1)..];
        }

        return null;
    }
}
