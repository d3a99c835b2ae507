namespace RightSize.Gateway;

/// <summary>
/// The gateway's own switches, checked before anything is built. The host reads every other
/// <c>--name value</c> pair as a setting, so a misspelt switch (<c>--check-confg</c>) was taken for
/// one and swallow the argument after it: a CI step meant to check a configuration would start
/// a server instead, and <c>--config-dir</c> without a directory would be dropped.
/// </summary>
internal static class CommandLine
{
    /// <summary>Switches that stand alone.</summary>
    private static readonly string[] Flags = [GatewayApp.DemoFlag, GatewayApp.CheckConfigFlag];

    /// <summary>Switches that take a value: the gateway's own, and the ASP.NET Core host's that make sense for it.</summary>
    private static readonly string[] Options = [GatewayConfiguration.ConfigDirArgument, "--urls", "--environment", "--contentRoot", "--http_ports", "--https_ports"];

    /// <summary>One line for each argument the gateway does not take; none when all are good.</summary>
    public static List<string> Check(string[] args)
    {
        var errors = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || Flags.Contains(arg, StringComparer.Ordinal)) continue;
            var name = arg.Split('=', 2)[0];
            // "--config-dir=" gives no value: passed, it would hide RIGHTSIZE_CONFIG_DIR too.
            var hasValue = name.Length + 1 < arg.Length;

            // Any setting by its configuration key: --RightSize:Routes:auto:Threshold=0.6.
            if (name.Contains(':', StringComparison.Ordinal)) hasValue = name.Length < arg.Length || i + 1 < args.Length; // an empty setting is a setting
            else if (!Options.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"Unknown option '{name}'. The gateway takes {string.Join(", ", Flags)}, {string.Join(", ", Options.Select(o => o + " VALUE"))} and any setting as --Section:Key=value.");
                continue;
            }

            if (hasValue) continue;
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                i++;
                continue;
            }

            errors.Add($"Option '{name}' needs a value.");
        }

        return errors;
    }
}
